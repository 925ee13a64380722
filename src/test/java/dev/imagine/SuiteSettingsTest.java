package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/** The settings every test runs under, read the way JUnit reads them. */
@ExtendWith(SuiteSettingsTest.Context.class)
class SuiteSettingsTest {
  /** Hands a test its own {@link ExtensionContext}, where the configuration parameters are. */
  static final class Context implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
      return parameter.getParameter().getType() == ExtensionContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
      return context;
    }
  }

  @Test
  void everyTestAndLifecycleMethodHasADefaultTimeout(ExtensionContext context) {
    // From src/test/resources/junit-platform.properties: a test that waits without end fails instead.
    assertThat(context.getConfigurationParameter("junit.jupiter.execution.timeout.default")).hasValue("5 m");
    assertThat(context.getConfigurationParameter("junit.jupiter.execution.timeout.mode")).as("not switched off")
        .isNotEqualTo(java.util.Optional.of("disabled"));
  }
}
