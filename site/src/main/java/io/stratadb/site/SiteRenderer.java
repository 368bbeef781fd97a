package io.stratadb.site;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.HeadingAnchorExtension;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * The site generator: one HTML page per Markdown page, with a navigation bar built from the pages' titles.
 *
 * <p>Invariants: links between pages ({@code foo.md}) become links to the rendered pages ({@code foo.html});
 * every heading gets an id as GitHub gives it (lower case, spaces as hyphens, punctuation dropped), so
 * {@code foo.md#some-heading} works on both;
 * {@code index.md} comes first in the navigation, the rest in file-name order.
 *
 * <p>Thread safety: not thread-safe; a command-line main.
 */
public final class SiteRenderer {
    private static final Pattern HEADING_ID = Pattern.compile("<h[1-6] id=\"([^\"]*)\"");
    private static final Pattern MD_LINK = Pattern.compile("href=\"([A-Za-z0-9_./-]+)\\.md(#[^\"]*)?\"");

    private final Parser parser;
    private final HtmlRenderer renderer;

    public SiteRenderer() {
        List<Extension> ext = List.of(TablesExtension.create(), HeadingAnchorExtension.create());
        parser = Parser.builder().extensions(ext).build();
        renderer = HtmlRenderer.builder().extensions(ext).build();
    }

    /** The ids the rendered page of {@code markdown} gives its headings (the targets of {@code #fragment} links). */
    public Set<String> headingIds(String markdown) {
        Set<String> ids = new HashSet<>();
        Matcher m = HEADING_ID.matcher(renderer.render(parser.parse(markdown)));
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }

    /** Renders {@code args[0]} (Markdown folder) into {@code args[1]} (output folder). */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: SiteRenderer <markdown-dir> <output-dir>");
        }
        new SiteRenderer().render(Path.of(args[0]), Path.of(args[1]));
    }

    /** Renders every page; returns the written HTML files. */
    public List<Path> render(Path in, Path out) throws IOException {
        List<Path> pages = pages(in);
        Files.createDirectories(out);
        StringBuilder nav = new StringBuilder();
        for (Path p : pages) {
            nav.append("<a href=\"")
                    .append(htmlName(p))
                    .append("\">")
                    .append(escape(title(p)))
                    .append("</a>\n");
        }
        List<Path> written = new ArrayList<>();
        for (Path p : pages) {
            String md = Files.readString(p, StandardCharsets.UTF_8);
            Node doc = parser.parse(md);
            String body = fixLinks(renderer.render(doc));
            String html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>"
                    + escape(title(p)) + " - StrataDB</title>\n<style>" + CSS + "</style></head>\n<body><nav>"
                    + nav + "</nav><main>\n" + body + "</main></body></html>\n";
            Path target = out.resolve(htmlName(p));
            Files.writeString(target, html, StandardCharsets.UTF_8);
            written.add(target);
        }
        return written;
    }

    /** The Markdown pages of a folder: index first, then by file name. */
    public static List<Path> pages(Path in) throws IOException {
        List<Path> pages;
        try (Stream<Path> s = Files.list(in)) {
            pages = new ArrayList<>(
                    s.filter(p -> p.toString().endsWith(".md")).sorted().toList());
        }
        pages.sort((a, b) -> Boolean.compare(!isIndex(a), !isIndex(b)));
        return pages;
    }

    /** The first level-one heading of a page, or its file name. */
    public static String title(Path page) throws IOException {
        for (String line : Files.readAllLines(page, StandardCharsets.UTF_8)) {
            if (line.startsWith("# ")) {
                return line.substring(2).trim();
            }
        }
        return String.valueOf(page.getFileName());
    }

    static String fixLinks(String html) {
        Matcher m = MD_LINK.matcher(html);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String anchor = m.group(2) == null ? "" : m.group(2);
            m.appendReplacement(sb, Matcher.quoteReplacement("href=\"" + m.group(1) + ".html" + anchor + "\""));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static boolean isIndex(Path p) {
        return String.valueOf(p.getFileName()).equals("index.md");
    }

    private static String htmlName(Path p) {
        String n = String.valueOf(p.getFileName());
        return n.substring(0, n.length() - 3) + ".html";
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static final String CSS = "body{font-family:system-ui,sans-serif;margin:0;display:flex}"
            + "nav{min-width:14em;padding:1em;background:#f4f4f4;display:flex;flex-direction:column;gap:.3em}"
            + "main{padding:1em 2em;max-width:60em}pre,code{background:#f7f7f7}pre{padding:.5em;overflow:auto}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .5em}";
}
