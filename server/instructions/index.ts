/**
 * The work instructions' public face (.dependency-cruiser.cjs): one Markdown file each with its front matter
 * (instructions/), parsed and validated at start, and the content hash a case records it ran under.
 */
export {
  currentInstructionsHash,
  instructionsDir,
  instructionsHash,
  loadInstructions,
  parseInstruction,
  type Instruction,
} from './instructions.ts';
