package io.stratadb.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Loads every {@code META-INF/services} entry of every module of the reactor: each listed class exists,
 * implements the service, and {@link ServiceLoader} instantiates it.
 */
class ServiceEntriesTest {
    @Test
    void everyServiceEntryOfEveryModuleLoads() throws Exception {
        List<Path> files = serviceFiles(Path.of("..").toRealPath());
        assertFalse(files.isEmpty(), "no META-INF/services files found");
        List<String> checked = new ArrayList<>();
        for (Path f : files) {
            Class<?> service = Class.forName(String.valueOf(f.getFileName()));
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String impl = line.replaceAll("#.*", "").trim();
                if (impl.isEmpty()) {
                    continue;
                }
                Class<?> cls = Class.forName(impl);
                assertTrue(service.isAssignableFrom(cls), impl + " does not implement " + service.getName());
                boolean loaded = false;
                for (Object o : ServiceLoader.load(service)) {
                    loaded |= o.getClass() == cls;
                }
                assertTrue(loaded, "ServiceLoader did not instantiate " + impl + " listed in " + f);
                checked.add(impl);
            }
        }
        assertEquals(checked.size(), checked.stream().distinct().count(), "an implementation is listed twice");
    }

    private static List<Path> serviceFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root, 7)) {
            return s.filter(p -> p.toString().contains("src/main/resources/META-INF/services/"))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        }
    }
}
