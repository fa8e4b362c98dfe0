package ro.reclamatii.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.delegate.DelegateExecution;
import org.operaton.bpm.engine.delegate.DelegateTask;
import org.operaton.bpm.engine.delegate.TaskListener;
import org.operaton.bpm.engine.impl.bpmn.behavior.UserTaskActivityBehavior;
import org.operaton.bpm.engine.impl.bpmn.parser.AbstractBpmnParseListener;
import org.operaton.bpm.engine.impl.cfg.AbstractProcessEnginePlugin;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.impl.context.Context;
import org.operaton.bpm.engine.impl.pvm.process.ActivityImpl;
import org.operaton.bpm.engine.impl.pvm.process.ScopeImpl;
import org.operaton.bpm.engine.impl.task.TaskDefinition;
import org.operaton.bpm.engine.impl.util.xml.Element;
import org.operaton.bpm.engine.task.IdentityLink;
import org.operaton.bpm.engine.task.IdentityLinkType;
import org.springframework.stereotype.Component;

/**
 * Inbox read model: every user-task event (create, assignment, complete, delete) becomes a row in
 * task_event_outbox, written on the engine's own connection so it commits or rolls back with the engine
 * transaction, followed by NOTIFY task_events (delivered by PostgreSQL on commit).
 */
@Component
public class TaskEventOutboxPlugin extends AbstractProcessEnginePlugin {
  static final String[] EVENTS = {
    TaskListener.EVENTNAME_CREATE, TaskListener.EVENTNAME_ASSIGNMENT,
    TaskListener.EVENTNAME_COMPLETE, TaskListener.EVENTNAME_DELETE
  };
  private static final String DDL = "CREATE TABLE IF NOT EXISTS task_event_outbox ("
      + " id bigserial PRIMARY KEY, event_type text NOT NULL, task_id text NOT NULL, tenant_id text,"
      + " process_instance_id text, business_key text, task_definition_key text, name text, assignee text,"
      + " candidate_groups text, due_date timestamptz, created_at timestamptz NOT NULL DEFAULT now())";
  private static final String INSERT = "INSERT INTO task_event_outbox (event_type, task_id, tenant_id,"
      + " process_instance_id, business_key, task_definition_key, name, assignee, candidate_groups, due_date)"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final TaskListener listener = TaskEventOutboxPlugin::record;

  @Override
  public void preInit(ProcessEngineConfigurationImpl configuration) {
    if (configuration.getCustomPostBPMNParseListeners() == null) {
      configuration.setCustomPostBPMNParseListeners(new ArrayList<>());
    }
    configuration.getCustomPostBPMNParseListeners().add(new AbstractBpmnParseListener() {
      @Override
      public void parseUserTask(Element userTaskElement, ScopeImpl scope, ActivityImpl activity) {
        TaskDefinition definition = ((UserTaskActivityBehavior) activity.getActivityBehavior()).getTaskDefinition();
        for (String event : EVENTS) {
          definition.addBuiltInTaskListener(event, listener);
        }
      }
    });
  }

  @Override
  public void postProcessEngineBuild(ProcessEngine engine) {
    DataSource dataSource = ((ProcessEngineConfigurationImpl) engine.getProcessEngineConfiguration()).getDataSource();
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      connection.setAutoCommit(true);
      try {
        statement.execute(DDL);
        statement.execute("CREATE INDEX IF NOT EXISTS task_event_outbox_tenant_idx ON task_event_outbox (tenant_id, id)");
      } catch (SQLException raced) {
        // Two engine nodes starting together can collide on IF NOT EXISTS; fine if the table is there now.
        try (ResultSet rs = statement.executeQuery("SELECT to_regclass('task_event_outbox') IS NOT NULL")) {
          if (!rs.next() || !rs.getBoolean(1)) {
            throw raced;
          }
        }
      }
    } catch (SQLException e) {
      throw new ProcessEngineException("cannot create task_event_outbox: " + e.getMessage(), e);
    }
  }

  private static void record(DelegateTask task) {
    Connection connection = Context.getCommandContext().getDbSqlSession().getSqlSession().getConnection();
    DelegateExecution execution = task.getExecution();
    List<String> groups = new ArrayList<>();
    for (IdentityLink link : task.getCandidates()) {
      if (link.getGroupId() != null && IdentityLinkType.CANDIDATE.equals(link.getType())) {
        groups.add(link.getGroupId());
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setString(1, task.getEventName());
      insert.setString(2, task.getId());
      insert.setString(3, task.getTenantId());
      insert.setString(4, task.getProcessInstanceId());
      insert.setString(5, execution == null ? null : execution.getProcessBusinessKey());
      insert.setString(6, task.getTaskDefinitionKey());
      insert.setString(7, task.getName());
      insert.setString(8, task.getAssignee());
      insert.setString(9, groups.isEmpty() ? null : groups.stream().sorted().distinct().collect(Collectors.joining(",")));
      insert.setTimestamp(10, task.getDueDate() == null ? null : new Timestamp(task.getDueDate().getTime()));
      insert.executeUpdate();
    } catch (SQLException e) {
      throw new ProcessEngineException("cannot record task event: " + e.getMessage(), e);
    }
    try (Statement notify = connection.createStatement()) {
      notify.execute("NOTIFY task_events");
    } catch (SQLException e) {
      throw new ProcessEngineException("cannot notify task_events: " + e.getMessage(), e);
    }
  }
}
