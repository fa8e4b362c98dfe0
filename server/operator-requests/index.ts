/**
 * The operator-requests module's public face (.dependency-cruiser.cjs): our requests for data to the distribution
 * operator, their sending and the answers matched back by reference.
 */
export {
  findOperatorReference,
  OPERATOR_REFERENCE,
  recordAnswerInTx,
  recordOperatorAnswer,
} from './operator-requests.service.ts';
export {
  anonymiseOperatorRequestsOfCase,
  createOperatorRequest,
  latestOperatorRequest,
  markOperatorRequestSent,
  noteOperatorRequestMessageId,
  operatorRequestAnswered,
} from './operator-requests-log.ts';
