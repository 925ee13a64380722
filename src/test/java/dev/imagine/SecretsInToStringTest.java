package dev.imagine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.imagine.server.LocalBackend;
import io.vertx.core.buffer.Buffer;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Plants a key in every type that can hold one and checks that no {@code toString()} shows it:
 * every record in the main classes is built reflectively with the key (or base64 text) in each
 * component whose name says it is a secret, and every other class that holds a secret and prints
 * itself must be among the instances built by hand below.
 */
class SecretsInToStringTest {
  static final String PLANTED = "sk-planted-Zq7Xw3";
  /** Names of fields and record components that hold a key, a header value or base64 image data. */
  static final Pattern SECRET_NAME = Pattern.compile(
      "(?i).*(apikey|api_key|secret|password|passwd|authorization|credential|bearer|b64|base64|headers).*"
          + "|(?i)(.*[a-z])?(key|token)");
  /** Fields with a secret-sounding name that hold no secret, and why. */
  static final Map<String, String> NOT_SECRET = Map.of(
      "dev.imagine.internal.server.FaultPlan.key", "the x-imagine-fault-key scope: a test's name, sent in the clear");

  @Test
  void noRecordShowsAPlantedKeyOrBase64() throws Exception {
    List<String> leaks = new ArrayList<>();
    List<String> unbuildable = new ArrayList<>();
    int checked = 0;
    for (Class<?> c : mainClasses()) {
      if (!c.isRecord() || !holdsSecret(c, new HashSet<>())) {
        continue;
      }
      Object instance;
      try {
        instance = planted(c, 0);
      } catch (ReflectiveOperationException | RuntimeException e) {
        unbuildable.add(c.getName() + " (" + e + ")");
        continue;
      }
      String text;
      try {
        text = instance.toString();
      } catch (RuntimeException e) {
        continue; // needs a component this test cannot make (ClientConfig's provider): checked through knownCarriers()
      }
      checked++;
      if (text.contains(PLANTED) || text.contains(plantedBase64())) {
        leaks.add(c.getName() + ": " + text);
      }
    }
    Set<Class<?>> byHand = new HashSet<>();
    knownCarriers().forEach(o -> byHand.add(o.getClass()));
    unbuildable.removeIf(entry -> byHand.stream().anyMatch(c -> entry.startsWith(c.getName() + " (")));
    assertThat(unbuildable).as("records holding a secret that this test cannot build: add them to knownCarriers()")
        .isEmpty();
    assertThat(leaks).as("toString() shows a planted secret").isEmpty();
    assertThat(checked).as("records holding a secret (BackendSettings and the wire records at least)").isGreaterThanOrEqualTo(2);
  }

  @Test
  void everyOtherTypeHoldingASecretIsCheckedByHand() throws Exception {
    Set<Class<?>> covered = new HashSet<>();
    List<String> leaks = new ArrayList<>();
    for (Object o : knownCarriers()) {
      covered.add(o.getClass());
      String text = o instanceof Throwable t ? t + " " + t.getMessage() : o.toString();
      if (text.contains(PLANTED) || text.contains(plantedBase64())) {
        leaks.add(o.getClass().getName() + ": " + text);
      }
    }
    assertThat(leaks).as("toString() shows a planted secret").isEmpty();

    List<String> unchecked = new ArrayList<>();
    for (Class<?> c : mainClasses()) {
      if (c.isRecord() || c.isEnum() || c.isInterface() || !printsItself(c) || !holdsSecret(c, new HashSet<>())) {
        continue;
      }
      if (!covered.contains(c)) {
        unchecked.add(c.getName());
      }
    }
    assertThat(unchecked)
        .as("classes that hold a secret and have their own toString(): build one with a planted key in knownCarriers()")
        .isEmpty();
  }

  /** Instances built through the public API with {@link #PLANTED} as key, header value and body field. */
  static List<Object> knownCarriers() {
    List<Object> all = new ArrayList<>();
    LocalBackend.Builder backendBuilder = LocalBackend.builder().apiKey(PLANTED);
    all.add(backendBuilder);
    try (LocalBackend backend = backendBuilder.start()) {
      all.add(backend);
      ImagesClient.Builder clientBuilder = ImagesClient.builder().baseUrl(backend.baseUrl()).apiKey(PLANTED)
          .header("x-api-key", PLANTED);
      all.add(clientBuilder);
      try (ImagesClient client = clientBuilder.build();
           ImagesClient wrongKey = ImagesClient.builder().baseUrl(backend.baseUrl()).apiKey(PLANTED + "-wrong")
               .maxRetries(0).build()) {
        all.add(client);
        ImageRequest.Builder requestBuilder = ImageRequest.builder().prompt("a key")
            .header("authorization", "Bearer " + PLANTED).extraBody("api_key", PLANTED);
        all.add(requestBuilder);
        all.add(requestBuilder.build());
        ImageGeneration generation = client.images().prompt("a key").header("x-secret", PLANTED)
            .extraBody("api_key", PLANTED);
        all.add(generation);
        ImageResult result = client.images().prompt("a key").generate();
        all.add(result);
        all.add(result.image());
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
            () -> wrongKey.images().prompt("a key").generate());
        assertThat(refused).isInstanceOf(AuthenticationException.class);
        all.add(refused);
        all.add(result.rateLimits());
        Throwable limited = org.assertj.core.api.Assertions.catchThrowable(() -> client.images().prompt("a key")
            .header("x-imagine-fault", "rate-limit;times=3").generate());
        assertThat(limited).isInstanceOf(RateLimitException.class);
        all.add(limited);
        all.add(new dev.imagine.internal.batch.BatchSettings(Path.of("x"), 1, null, false, client, null,
            dev.imagine.internal.batch.BatchSettings.Provider.DEFAULTS));
        all.add(dev.imagine.batch.Batch.of(List.of(requestBuilder.build())));
      }
    }
    return all;
  }

  @Test
  void thePlantedKeyIsReallyInsideWhatIsChecked() throws Exception {
    var settings = (dev.imagine.internal.server.BackendSettings) planted(dev.imagine.internal.server.BackendSettings.class, 0);
    assertThat(settings.apiKey()).isEqualTo(PLANTED);
    assertThat(settings.toString()).contains("apiKey=set").doesNotContain(PLANTED);
    var config = (dev.imagine.internal.http.ClientConfig) planted(dev.imagine.internal.http.ClientConfig.class, 0);
    assertThat(config.headers()).containsValue(PLANTED);
    try (LocalBackend backend = LocalBackend.builder().apiKey(PLANTED).start();
         ImagesClient client = ImagesClient.builder().baseUrl(backend.baseUrl()).apiKey(PLANTED).build()) {
      assertThat(client.images().prompt("keyed").generate().images()).hasSize(1);
    }
  }

  static String plantedBase64() {
    return java.util.Base64.getEncoder().encodeToString(PLANTED.getBytes(StandardCharsets.UTF_8));
  }

  static boolean isSecretName(Class<?> owner, String name) {
    return SECRET_NAME.matcher(name).matches() && !NOT_SECRET.containsKey(owner.getName() + "." + name);
  }

  static boolean isTextLike(Class<?> type) {
    return type == String.class || CharSequence.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type)
        || Buffer.class.isAssignableFrom(type) || type == char[].class || type == byte[].class;
  }

  /** Whether the class, or a record or class it holds, has a text field whose name says it is a secret. */
  static boolean holdsSecret(Class<?> c, Set<Class<?>> seen) {
    if (c == null || c.isPrimitive() || c.isEnum() || !c.getName().startsWith("dev.imagine.") || !seen.add(c)) {
      return false;
    }
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        if ((isTextLike(f.getType()) && isSecretName(k, f.getName())) || holdsSecret(f.getType(), seen)) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean printsItself(Class<?> c) {
    try {
      return c.getMethod("toString").getDeclaringClass() != Object.class;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** A record with the planted key in its secret components and plain values elsewhere. */
  static Object planted(Class<?> record, int depth) throws ReflectiveOperationException {
    RecordComponent[] parts = record.getRecordComponents();
    Class<?>[] types = Stream.of(parts).map(RecordComponent::getType).toArray(Class<?>[]::new);
    Object[] values = new Object[parts.length];
    for (int i = 0; i < parts.length; i++) {
      values[i] = valueFor(record, parts[i].getName(), types[i], depth);
    }
    Constructor<?> canonical = record.getDeclaredConstructor(types);
    canonical.setAccessible(true);
    return canonical.newInstance(values);
  }

  static Object valueFor(Class<?> owner, String name, Class<?> type, int depth) throws ReflectiveOperationException {
    boolean secret = isSecretName(owner, name);
    String text = secret ? PLANTED : "x";
    if (type == String.class || type == CharSequence.class) {
      return secret && name.toLowerCase().contains("b64") ? plantedBase64() : text;
    }
    if (Map.class.isAssignableFrom(type)) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("authorization", "Bearer " + text);
      m.put("x-api-key", text);
      return m;
    }
    if (type == Buffer.class) {
      return Buffer.buffer(secret ? plantedBase64() : text);
    }
    if (type == byte[].class) {
      return plantedBase64().getBytes(StandardCharsets.US_ASCII);
    }
    if (type == char[].class) {
      return PLANTED.toCharArray();
    }
    if (type == int.class || type == Integer.class) {
      return 1;
    }
    if (type == long.class || type == Long.class) {
      return 1L;
    }
    if (type == double.class || type == Double.class) {
      return 1.0;
    }
    if (type == float.class) {
      return 1.0f;
    }
    if (type == boolean.class || type == Boolean.class) {
      return false;
    }
    if (type == short.class) {
      return (short) 1;
    }
    if (type == byte.class) {
      return (byte) 1;
    }
    if (type == char.class) {
      return 'x';
    }
    if (type.isEnum()) {
      return type.getEnumConstants()[0];
    }
    if (type == Duration.class) {
      return Duration.ofSeconds(1);
    }
    if (type == Path.class) {
      return Path.of("x");
    }
    if (type == URI.class) {
      return URI.create("http://x.example");
    }
    if (type == List.class || type == Collection.class) {
      return List.of();
    }
    if (type == Set.class) {
      return Set.of();
    }
    if (type.isRecord() && depth < 3) {
      return planted(type, depth + 1);
    }
    return null;
  }

  /** Every class compiled from src/main/java. */
  static List<Class<?>> mainClasses() throws IOException, ClassNotFoundException {
    Path root;
    try {
      root = Path.of(ImagesClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    List<Class<?>> classes = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
    for (Path p : files) {
      String name = root.relativize(p).toString().replace('/', '.').replace('\\', '.');
      name = name.substring(0, name.length() - ".class".length());
      Class<?> c = Class.forName(name, false, SecretsInToStringTest.class.getClassLoader());
      if (!c.isSynthetic() && !c.isAnonymousClass() && !name.equals("module-info")) {
        classes.add(c);
      }
    }
    assertThat(classes).as("main classes found under " + root).hasSizeGreaterThan(50);
    return classes;
  }
}
