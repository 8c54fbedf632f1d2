package dev.faultline.ui;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot application behind {@link dev.faultline.ui.WebUi}; it scans {@code
 * dev.faultline.ui}. Server push keeps the live board current without reloads.
 */
@SpringBootApplication
@Push
public class FaultlineUiApplication implements AppShellConfigurator {}
