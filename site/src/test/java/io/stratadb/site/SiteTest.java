package io.stratadb.site;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteTest {
    private static final Path MARKDOWN = Path.of("src/site/markdown");

    @Test
    void errorPageListsEveryErrorCodeWithItsSqlState() throws IOException {
        String page = Files.readString(MARKDOWN.resolve("errors.md"), StandardCharsets.UTF_8);
        List<String> missing = new ArrayList<>();
        for (ErrorCode c : ErrorCode.values()) {
            if (!page.contains("| `" + c.name() + "` | `" + c.sqlState() + "` |")) {
                missing.add(c + " (" + c.sqlState() + ")");
            }
        }
        assertEquals(List.of(), missing, "errors.md lacks a row '| `CODE` | `SQLSTATE` |' for these codes");
    }

    @Test
    void everyLinkBetweenPagesResolves() throws IOException {
        Pattern link = Pattern.compile("\\]\\(([A-Za-z0-9_-]+\\.md)(#[^)]*)?\\)");
        List<String> broken = new ArrayList<>();
        SiteRenderer site = new SiteRenderer();
        for (Path p : SiteRenderer.pages(MARKDOWN)) {
            Matcher m = link.matcher(Files.readString(p, StandardCharsets.UTF_8));
            while (m.find()) {
                Path target = MARKDOWN.resolve(m.group(1));
                if (!Files.exists(target)) {
                    broken.add(p.getFileName() + " -> " + m.group(1));
                } else if (m.group(2) != null
                        && !site.headingIds(Files.readString(target, StandardCharsets.UTF_8))
                                .contains(m.group(2).substring(1))) {
                    broken.add(p.getFileName() + " -> " + m.group(1) + m.group(2) + " (no such heading)");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    @Test
    void rendersEveryPageWithNavigation(@TempDir Path out) throws IOException {
        List<Path> written = new SiteRenderer().render(MARKDOWN, out);
        assertEquals(SiteRenderer.pages(MARKDOWN).size(), written.size());
        String index = Files.readString(out.resolve("index.html"), StandardCharsets.UTF_8);
        assertTrue(index.contains("href=\"architecture.html\""), "navigation links the architecture page");
        assertTrue(index.contains("href=\"errors.html\""), "navigation links the error table");
    }

    @Test
    void rewritesMarkdownLinks() {
        assertEquals("<a href=\"txn.html#x\">", SiteRenderer.fixLinks("<a href=\"txn.md#x\">"));
    }
}
