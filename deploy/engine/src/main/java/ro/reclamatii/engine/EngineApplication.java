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
    SpringApplication.run(EngineApplication.class, args);
  }

  @EventListener(ApplicationReadyEvent.class)
  public void ready(ApplicationReadyEvent event) {
    Environment env = event.getApplicationContext().getEnvironment();
    long uptime = ManagementFactory.getRuntimeMXBean().getUptime();
    LOG.info("engine started on http://{}:{}/engine-rest in {} ms",
        env.getProperty("server.address"), env.getProperty("server.port"), uptime);
  }
}
