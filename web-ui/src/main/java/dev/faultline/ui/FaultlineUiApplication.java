package dev.faultline.ui;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import dev.faultline.storage.Storage;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * The Spring Boot application behind {@link dev.faultline.ui.WebUi}; it scans {@code
 * dev.faultline.ui}. Server push keeps the live board current without reloads.
 */
@SpringBootApplication
@Push
public class FaultlineUiApplication implements AppShellConfigurator {

  /** {@code /healthz} and {@code /readyz}, answered before security and Vaadin see the request. */
  @Bean
  FilterRegistrationBean<HealthProbes> healthProbes(Storage storage) {
    FilterRegistrationBean<HealthProbes> bean =
        new FilterRegistrationBean<>(new HealthProbes(storage));
    bean.addUrlPatterns(HealthProbes.LIVE, HealthProbes.READY);
    bean.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return bean;
  }
}
