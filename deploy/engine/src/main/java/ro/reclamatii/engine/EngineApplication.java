package ro.reclamatii.engine;

import java.lang.management.ManagementFactory;
import java.util.TimeZone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;

/** Hosts the process engine and its REST API at /engine-rest. All configuration comes from environment variables. */
@SpringBootApplication
public class EngineApplication {
  private static final Logger LOG = LoggerFactory.getLogger(EngineApplication.class);

  public static void main(String[] args) {
    TimeZone.setDefault(TimeZone.getTimeZone("UTC"));
    System.setProperty("user.timezone", "UTC");
    if ("1".equals(System.getenv("ENGINE_EXIT_WITH_PARENT"))) exitWhenStdinCloses();
    SpringApplication.run(EngineApplication.class, args);
  }

  /**
   * Started by `npm start` (or the tests), the engine reads a pipe from its parent. When the parent dies, even by
   * kill -9, the pipe closes and the engine stops gracefully instead of holding its port and database connections
   * for the next start to trip over.
   */
  private static void exitWhenStdinCloses() {
    Thread watcher = new Thread(() -> {
      try {
        byte[] buffer = new byte[256];
        while (System.in.read(buffer) >= 0) {
          // the parent never writes; anything read is ignored
        }
      } catch (java.io.IOException ignored) {
        // a broken pipe means the same as end of input
      }
      LOG.info("parent process gone (stdin closed): stopping the engine");
      System.exit(0);
    }, "exit-with-parent");
    watcher.setDaemon(true);
    watcher.start();
  }

  @EventListener(ApplicationReadyEvent.class)
  public void ready(ApplicationReadyEvent event) {
    Environment env = event.getApplicationContext().getEnvironment();
    long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
    LOG.info("engine started on http://{}:{}/engine-rest in {} ms",
        env.getProperty("server.address"), env.getProperty("server.port"), uptime);
  }
}
