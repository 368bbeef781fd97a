package io.stratadb.sql.shell;

import io.stratadb.sql.jdbc.StrataDriver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import sqlline.SqlLine;

/**
 * The command-line SQL shell: sqlline connected to an embedded StrataDB database.
 *
 * <p>Without {@code -u}, it opens the database in {@code ./strata-data} (or the directory of the system
 * property {@code strata.shell.dir}); every other argument goes to sqlline ({@code --help} lists them).
 *
 * <p>Invariants: the exit status is 0 when sqlline ends normally ({@code !quit} or end of input), else 1.
 *
 * <p>Thread safety: a command-line main.
 */
public final class StrataShell {
    /** The database directory used when no URL is given. */
    static final String DEFAULT_DIR = "strata-data";

    private StrataShell() {}

    @SuppressWarnings("SystemConsoleNull") // on JDK 17, null means standard input or output is not a terminal
    public static void main(String[] args) throws IOException {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        Path dir = Path.of(System.getProperty("strata.shell.dir", DEFAULT_DIR));
        boolean interactive = System.console() != null;
        if (!interactive) {
            // Piped input: a plain terminal, and a fixed table width instead of the (unknown) terminal's.
            System.setProperty("org.jline.terminal.dumb", "true");
        }
        SqlLine.Status status = SqlLine.start(arguments(args, dir, interactive), null, true);
        Runtime.getRuntime().exit(status == SqlLine.Status.OK ? 0 : 1);
    }

    /** The sqlline arguments: a connection to {@code dir} unless the caller gave {@code -u}, then theirs. */
    static String[] arguments(String[] args, Path dir, boolean interactive) {
        List<String> out = new ArrayList<>();
        List<String> given = Arrays.asList(args);
        boolean help = given.contains("--help") || given.contains("-h");
        if (!given.contains("-u") && !help) {
            out.addAll(List.of("-u", StrataDriver.PREFIX + "path=" + dir.toAbsolutePath()));
        }
        if (!help) {
            // Embedded databases have no users; without these sqlline would prompt for them.
            if (!given.contains("-n")) {
                out.addAll(List.of("-n", "sa"));
            }
            if (!given.contains("-p")) {
                out.addAll(List.of("-p", ""));
            }
        }
        out.addAll(List.of(
                "-d", StrataDriver.class.getName(), "--prompt=strata> ", "--isolation=TRANSACTION_REPEATABLE_READ"));
        if (!interactive) {
            out.add("--maxWidth=160");
        }
        out.addAll(given);
        return out.toArray(new String[0]);
    }
}
