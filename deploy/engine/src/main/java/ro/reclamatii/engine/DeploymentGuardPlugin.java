package ro.reclamatii.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.io.ByteArrayInputStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import java.util.regex.Pattern;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;
import org.operaton.bpm.dmn.engine.DmnDecision;
import org.operaton.bpm.dmn.engine.DmnDecisionRequirementsGraph;
import org.operaton.bpm.dmn.engine.impl.DmnDecisionTableInputImpl;
import org.operaton.bpm.dmn.engine.impl.DmnDecisionTableOutputImpl;
import org.operaton.bpm.dmn.engine.impl.DmnDecisionTableRuleImpl;
import org.operaton.bpm.dmn.engine.impl.spi.transform.DmnTransformListener;
import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.persistence.deploy.Deployer;
import org.operaton.bpm.engine.impl.persistence.entity.DeploymentEntity;
import org.operaton.bpm.engine.impl.persistence.entity.ProcessDefinitionEntity;
import org.operaton.bpm.engine.impl.persistence.entity.ResourceEntity;
import org.operaton.bpm.engine.impl.scripting.engine.ScriptEngineResolver;
import org.operaton.bpm.engine.impl.util.xml.Element;
import org.operaton.bpm.model.dmn.instance.Decision;
import org.operaton.bpm.model.dmn.instance.Definitions;
import org.operaton.bpm.model.dmn.instance.Input;
import org.operaton.bpm.model.dmn.instance.Output;
import org.operaton.bpm.model.dmn.instance.Rule;
import org.operaton.bpm.model.xml.instance.DomElement;
import org.springframework.stereotype.Component;

/**
 * Defence in depth behind the app's deployment allow-list (server/designer/lint/allow-list.ts): nothing deployed
 * to this engine runs code, even a deployment sent straight to /engine-rest. Every tenant shares this JVM, so a
 * listener, a script, a Java class or a free EL expression in one tenant's model could read every tenant's data.
 *
 * <ul>
 *   <li>Deployments carry only .bpmn and .dmn resources (no scripts a model could point to, no CMMN).
 *   <li>A BPMN parse listener refuses, anywhere in the file and under any namespace: script tasks, scripts,
 *       execution and task listeners, connectors, field injection; the attributes that name code (class,
 *       delegateExpression, expression, resource, scriptFormat, language, variable mapping classes), a tenant
 *       other than the caller's (calledElementTenantId, decisionRefTenantId); service-like tasks that are not
 *       external (camunda:type="shell" would run a command); and any ${…}/#{…} outside the small expression
 *       language the app allows (variables, literals, comparisons, and three member chains).
 *   <li>A DMN transform listener refuses any expression language but FEEL and FEEL that defines functions
 *       (`function(…) external { java: … }`).
 *   <li>No script engine resolves at all; Java serialization of variables is off, deserialization is
 *       type-checked; EL sees no Spring beans; queries take no expressions.
 * </ul>
 */
@Component
public class DeploymentGuardPlugin extends AbstractProcessEnginePlugin {

  static final Set<String> CODE_ELEMENTS =
      Set.of("scriptTask", "script", "executionListener", "taskListener", "connector", "field");
  static final Set<String> CODE_ATTRIBUTES = Set.of("class", "delegateExpression", "expression", "resource",
      "scriptFormat", "language", "variableMappingClass", "variableMappingDelegateExpression",
      "calledElementTenantId", "decisionRefTenantId", "caseTenantId", "sourceExpression");
  /** Elements whose behaviour would be a class, an expression or a built-in type unless they are external. */
  static final Set<String> SERVICE_LIKE = Set.of("serviceTask", "sendTask");
  static final Set<String> FEEL = Set.of("feel", "FEEL", "https://www.omg.org/spec/DMN/20191111/FEEL/",
      "http://www.omg.org/spec/DMN/20180521/FEEL/", "http://www.omg.org/spec/FEEL/20140401",
      "https://www.omg.org/spec/FEEL/20140401");

  /** The member chains the app's grammar allows (server/designer/lint/expressions.ts); inputs are bounded. */
  private static final Pattern ALLOWED_CHAINS = Pattern.compile(
      "execution\\.getVariable\\('[A-Za-z_][A-Za-z0-9_]{0,99}'\\)"
          + "|decisionResult\\.getSingleResult\\(\\)\\.get\\('[A-Za-z_][A-Za-z0-9_]{0,99}'\\)"
          + "|execution\\.processBusinessKey");
  private static final Set<String> CONTEXT_NAMES = Set.of("execution", "task", "authentication",
      "decisionResult", "processEngine", "processEngineServices", "processEngineConfiguration",
      "variableScope", "caseExecution", "externalTask", "applicationContext", "environment",
      "systemProperties", "systemEnvironment", "empty", "instanceof");
  private static final int MAX_EXPRESSION = 2000;
  private static final String XSI = "http://www.w3.org/2001/XMLSchema-instance";

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    configuration.setJavaSerializationFormatEnabled(false);
    configuration.setDeserializationTypeValidationEnabled(true);
    configuration.setEnableScriptEngineCaching(false);
    configuration.setEnableScriptCompilation(false);
    configuration.setEnableScriptEngineLoadExternalResources(false);
    configuration.setEnableFetchScriptEngineFromProcessApplication(false);
    configuration.setScriptEngineResolver(new NoScriptEngines());
    configuration.setEnableExpressionsInAdhocQueries(false);
    configuration.setEnableExpressionsInStoredQueries(false);
    configuration.setEnableXxeProcessing(false);
    // An empty bean map: the Spring EL resolver exposes these beans only, i.e. none.
    configuration.setBeans(new HashMap<>());

    if (configuration.getCustomPreDeployers() == null) {
      configuration.setCustomPreDeployers(new ArrayList<>());
    }
    configuration.getCustomPreDeployers().add(new ResourceGuard());
    if (configuration.getCustomPreBPMNParseListeners() == null) {
      configuration.setCustomPreBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPreBPMNParseListeners().add(new AbstractBpmnParseListener() {
      @Override
      public void parseRootElement(Element root, List<ProcessDefinitionEntity> processDefinitions) {
        // Also when a deployment is parsed again into the cache (after a restart), not only when it is new.
        checkBpmn(XNode.of(root));
      }
    });
  }

  @Override
  public void postInit(ProcessEngineConfigurationImpl configuration) {
    configuration.getDmnEngineConfiguration().getTransformer().getTransformListeners().add(new FeelOnly());
  }

  /** Refused: the message names the element (its id, else its tag) and what it carries. */
  static ProcessEngineException refused(String where, String what) {
    return new ProcessEngineException("Deployment refused by the engine's guard: " + where + " has " + what
        + " (deployed models run no code)");
  }

  static String local(String name) {
    return name.substring(name.lastIndexOf(':') + 1);
  }

  /** One XML element as the guard reads it, from the engine's parser or from the DOM before parsing. */
  record XNode(String tag, Map<String, String> attrs, String text, List<XNode> children) {
    static XNode of(Element el) {
      Map<String, String> attrs = new LinkedHashMap<>();
      for (String key : el.attributes()) {
        attrs.put(key, el.attribute(key));
      }
      List<XNode> children = new ArrayList<>();
      for (Element child : el.elements()) {
        children.add(of(child));
      }
      return new XNode(local(el.getTagName()), attrs, el.getText(), children);
    }

    static XNode of(org.w3c.dom.Element el) {
      Map<String, String> attrs = new LinkedHashMap<>();
      NamedNodeMap map = el.getAttributes();
      for (int i = 0; i < map.getLength(); i++) {
        Node a = map.item(i);
        String uri = a.getNamespaceURI();
        if ("http://www.w3.org/2000/xmlns/".equals(uri)) {
          continue;
        }
        String name = a.getLocalName() != null ? a.getLocalName() : a.getNodeName();
        attrs.put(uri == null || uri.isEmpty() ? name : uri + ":" + name, a.getNodeValue());
      }
      List<XNode> children = new ArrayList<>();
      StringBuilder text = new StringBuilder();
      NodeList nodes = el.getChildNodes();
      for (int i = 0; i < nodes.getLength(); i++) {
        Node n = nodes.item(i);
        if (n instanceof org.w3c.dom.Element child) {
          children.add(of(child));
        } else if (n.getNodeType() == Node.TEXT_NODE || n.getNodeType() == Node.CDATA_SECTION_NODE) {
          text.append(n.getNodeValue());
        }
      }
      String tag = el.getLocalName() != null ? el.getLocalName() : local(el.getTagName());
      return new XNode(tag, attrs, text.toString(), children);
    }
  }

  static void checkBpmn(XNode root) {
    // Each element with the name of its nearest ancestor that has an id (what the message names).
    Deque<XNode> stack = new ArrayDeque<>();
    Deque<String> owners = new ArrayDeque<>();
    stack.push(root);
    owners.push("<definitions>");
    while (!stack.isEmpty()) {
      XNode el = stack.pop();
      String owner = owners.pop();
      String tag = el.tag();
      String id = el.attrs().get("id");
      String where = id != null ? "'" + id + "'" : owner;
      if (CODE_ELEMENTS.contains(tag)) {
        throw refused(where, "the element " + tag);
      }
      String type = null;
      for (Map.Entry<String, String> attr : el.attrs().entrySet()) {
        String key = attr.getKey();
        String name = local(key);
        String value = attr.getValue();
        if (value == null) {
          continue;
        }
        if (CODE_ATTRIBUTES.contains(name)) {
          throw refused(where, "the attribute " + name);
        }
        if ("type".equals(name) && !key.startsWith(XSI)) {
          type = value;
          if (!"external".equals(value)) {
            throw refused(where, "the task type '" + value + "'");
          }
        }
        checkExpressions(where, value);
      }
      if (SERVICE_LIKE.contains(tag) && type == null) {
        throw refused(where, "no external topic (a " + tag + " must be external)");
      }
      String text = el.text();
      if (text != null) {
        checkExpressions(where, text);
      }
      for (XNode child : el.children()) {
        stack.push(child);
        owners.push(where);
      }
    }
  }

  /** Every ${…} / #{…} in the text must be of the app's expression language. */
  static void checkExpressions(String where, String text) {
    int from = 0;
    while (true) {
      int a = text.indexOf("${", from);
      int b = text.indexOf("#{", from);
      int start = a < 0 ? b : b < 0 ? a : Math.min(a, b);
      if (start < 0) {
        return;
      }
      int end = start + 2;
      char quote = 0;
      while (end < text.length()) {
        char c = text.charAt(end);
        if (quote != 0) {
          if (c == quote) {
            quote = 0;
          }
        } else if (c == '\'' || c == '"') {
          quote = c;
        } else if (c == '}') {
          break;
        }
        end++;
      }
      String body = text.substring(start + 2, Math.min(end, text.length()));
      String problem = expressionProblem(body);
      if (problem != null) {
        throw refused(where, "the expression " + text.substring(start, Math.min(end + 1, text.length()))
            + " (" + problem + ")");
      }
      from = end + 1;
    }
  }

  /** Why the body of an expression is outside the allowed language, or null. */
  static String expressionProblem(String body) {
    if (body.length() > MAX_EXPRESSION) {
      return "too long";
    }
    if (body.indexOf('\\') >= 0) {
      return "a backslash";
    }
    String rest = ALLOWED_CHAINS.matcher(body).replaceAll(" v ");
    int i = 0;
    char previous = ' ';
    while (i < rest.length()) {
      char c = rest.charAt(i);
      if (c == '\'' || c == '"') {
        int close = rest.indexOf(c, i + 1);
        if (close < 0) {
          return "an unclosed string";
        }
        i = close + 1;
        previous = 's';
        continue;
      }
      if (Character.isLetter(c) || c == '_') {
        int j = i;
        while (j < rest.length() && (Character.isLetterOrDigit(rest.charAt(j)) || rest.charAt(j) == '_')) {
          j++;
        }
        String word = rest.substring(i, j);
        if (CONTEXT_NAMES.contains(word)) {
          return "'" + word + "'";
        }
        i = j;
        previous = 'a';
        continue;
      }
      if (Character.isDigit(c)) {
        while (i < rest.length() && (Character.isDigit(rest.charAt(i)) || rest.charAt(i) == '.')) {
          i++;
        }
        previous = '0';
        continue;
      }
      if (c == '(' && (previous == 'a' || previous == ')' || previous == 's')) {
        return "a function or method call";
      }
      if ("[];{}$#.+-*/%=~^`@".indexOf(c) >= 0) {
        boolean comparison = c == '=' && i > 0 && "=!<>".indexOf(rest.charAt(i - 1)) >= 0;
        boolean equals = c == '=' && i + 1 < rest.length() && rest.charAt(i + 1) == '=';
        if (!comparison && !equals) {
          return "the character '" + c + "'";
        }
      }
      if (!Character.isWhitespace(c)) {
        previous = c;
      }
      i++;
    }
    return null;
  }

  /** Only process models and decision tables are deployed; nothing a model could load as a script. */
  static class ResourceGuard implements Deployer {
    @Override
    public void deploy(DeploymentEntity deployment) {
      if (!deployment.isNew() || deployment.getResources() == null) {
        return;
      }
      for (Map.Entry<String, ResourceEntity> resource : deployment.getResources().entrySet()) {
        String name = resource.getKey();
        if (!name.endsWith(".bpmn") && !name.endsWith(".dmn")) {
          throw new ProcessEngineException("Deployment refused by the engine's guard: resource '" + name
              + "' is not a .bpmn or .dmn file");
        }
        // Read before the engine's own parser, so the refusal names what we refuse (the engine's parser would
        // stop first at, say, a shell task without its command).
        if (name.endsWith(".bpmn")) {
          checkBpmn(XNode.of(readXml(name, resource.getValue().getBytes())));
        }
      }
    }
  }

  static org.w3c.dom.Element readXml(String name, byte[] bytes) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setNamespaceAware(true);
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      factory.setExpandEntityReferences(false);
      return factory.newDocumentBuilder().parse(new ByteArrayInputStream(bytes)).getDocumentElement();
    } catch (Exception e) {
      throw new ProcessEngineException("Deployment refused by the engine's guard: resource '" + name
          + "' is not readable XML without a DOCTYPE (" + e.getMessage() + ")");
    }
  }

  /** DMN: FEEL only, and FEEL without function definitions (an external function is Java). */
  static class FeelOnly implements DmnTransformListener {
    @Override
    public void transformDecisionRequirementsGraph(Definitions definitions, DmnDecisionRequirementsGraph graph) {
      Deque<DomElement> stack = new ArrayDeque<>();
      stack.push(definitions.getDomElement());
      while (!stack.isEmpty()) {
        DomElement el = stack.pop();
        String id = el.getAttribute("id");
        String where = id != null ? "'" + id + "'" : "<" + el.getLocalName() + ">";
        String language = el.getAttribute("expressionLanguage");
        if (language != null && !FEEL.contains(language)) {
          throw refused(where, "the expression language '" + language + "' (only FEEL)");
        }
        String typeLanguage = el.getAttribute("typeLanguage");
        if (typeLanguage != null && !FEEL.contains(typeLanguage)) {
          throw refused(where, "the type language '" + typeLanguage + "' (only FEEL)");
        }
        if ("text".equals(el.getLocalName())) {
          String text = el.getTextContent();
          if (text != null && (containsWord(text, "function") || containsWord(text, "external"))) {
            throw refused(where, "a FEEL function definition");
          }
        }
        stack.addAll(el.getChildElements());
      }
    }

    @Override
    public void transformDecision(Decision decision, DmnDecision dmnDecision) {}

    @Override
    public void transformDecisionTableInput(Input input, DmnDecisionTableInputImpl dmnInput) {}

    @Override
    public void transformDecisionTableOutput(Output output, DmnDecisionTableOutputImpl dmnOutput) {}

    @Override
    public void transformDecisionTableRule(Rule rule, DmnDecisionTableRuleImpl dmnRule) {}
  }

  /** The word outside string literals, as FEEL would read it. */
  static boolean containsWord(String text, String word) {
    boolean inString = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (text.startsWith(word, i)
          && (i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))
          && (i + word.length() >= text.length() || !Character.isLetterOrDigit(text.charAt(i + word.length())))) {
        return true;
      }
    }
    return false;
  }

  /** Resolves no script engine for any language: a script that slipped through fails instead of running. */
  static class NoScriptEngines implements ScriptEngineResolver {
    private final ScriptEngineManager manager = new ScriptEngineManager(null);

    @Override
    public void addScriptEngineFactory(ScriptEngineFactory factory) {
      // refused: this engine runs no scripts
    }

    @Override
    public ScriptEngineManager getScriptEngineManager() {
      return manager;
    }

    @Override
    public ScriptEngine getScriptEngine(String language, boolean resolveFromCache) {
      return null;
    }
  }
}
