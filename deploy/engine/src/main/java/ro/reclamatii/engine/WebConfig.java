package ro.reclamatii.engine;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.operaton.bpm.engine.ProcessEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** HTTP Basic on /engine-rest/* against ENGINE_REST_USER / ENGINE_REST_PASSWORD, and an open GET /health. */
@Configuration
public class WebConfig {

  @Bean
  public FilterRegistrationBean<Filter> restBasicAuth(
      @Value("${ENGINE_REST_USER:}") String user, @Value("${ENGINE_REST_PASSWORD:}") String password) {
    if (user.isBlank() || password.isBlank()) {
      throw new IllegalStateException("ENGINE_REST_USER and ENGINE_REST_PASSWORD must be set");
    }
    byte[] expected = sha256(user + ":" + password);
    Filter filter = (req, res, chain) -> {
      HttpServletRequest request = (HttpServletRequest) req;
      String header = request.getHeader("Authorization");
      boolean ok = false;
      if (header != null && header.regionMatches(true, 0, "Basic ", 0, 6)) {
        try {
          String given = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
          ok = MessageDigest.isEqual(expected, sha256(given));
        } catch (IllegalArgumentException e) {
          ok = false;
        }
      }
      if (ok) {
        chain.doFilter(req, res);
      } else {
        HttpServletResponse response = (HttpServletResponse) res;
        response.setHeader("WWW-Authenticate", "Basic realm=\"engine\"");
        response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
        response.setContentType("application/json");
        response.getWriter().write("{\"type\":\"AuthenticationException\",\"message\":\"Unauthorized\"}");
      }
    };
    FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
    registration.addUrlPatterns("/engine-rest/*");
    registration.setName("restBasicAuth");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }

  @Bean
  public ServletRegistrationBean<HttpServlet> health(ObjectProvider<ProcessEngine> engine) {
    HttpServlet servlet = new HttpServlet() {
      @Override
      protected void doGet(HttpServletRequest req, HttpServletResponse res) throws IOException {
        boolean up = engine.getIfAvailable() != null;
        res.setStatus(up ? 200 : 503);
        res.setContentType("text/plain");
        res.getWriter().write(up ? "ok" : "starting");
      }
    };
    return new ServletRegistrationBean<>(servlet, "/health");
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
