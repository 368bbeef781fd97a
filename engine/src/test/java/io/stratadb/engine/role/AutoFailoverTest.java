package io.stratadb.engine.role;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stratadb.api.ErrorCode;
import io.stratadb.api.StrataException;
import io.stratadb.api.pagelog.LeadershipListener;
import io.stratadb.api.pagelog.PageLog;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The decisions of {@link AutoFailover}, against a scripted leadership token (no cluster). */
class AutoFailoverTest {
    /** A page log whose leadership token the test scripts; every other method is unused. */
    private static final class Token {
        final AtomicReference<@Nullable LeadershipListener> listener = new AtomicReference<>();
        final AtomicBoolean wins = new AtomicBoolean(true);
        final AtomicInteger takes = new AtomicInteger();
        final AtomicInteger releases = new AtomicInteger();

        PageLog pageLog() {
            return (PageLog) Proxy.newProxyInstance(
                    PageLog.class.getClassLoader(), new Class<?>[] {PageLog.class}, (proxy, m, args) -> {
                        switch (m.getName()) {
                            case "watchLeadership" -> listener.set((LeadershipListener) args[0]);
                            case "tryTakeLeadership" -> {
                                takes.incrementAndGet();
                                return wins.get();
                            }
                            case "releaseLeadership" -> releases.incrementAndGet();
                            default -> throw new UnsupportedOperationException(m.getName());
                        }
                        return null;
                    });
        }

        void lose(String leader) {
            LeadershipListener l = listener.get();
            if (l == null) {
                throw new AssertionError("AutoFailover does not watch the token");
            }
            l.leaderLost(leader);
        }
    }

    /** Waits up to 5 s for {@code done}: the take-over runs on AutoFailover's thread. */
    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!done.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertTrue(done.getAsBoolean(), what);
    }

    @Test
    void theWinnerStepsUpOnItsOwnThread() throws InterruptedException {
        Token t = new Token();
        AtomicReference<String> stepUpThread = new AtomicReference<>("");
        AutoFailover af = new AutoFailover(
                t.pageLog(), () -> stepUpThread.set(Thread.currentThread().getName()), () -> true, "n1");
        t.lose("old");
        await(() -> !"".equals(stepUpThread.get()), "the winner steps up");
        af.close();
        assertEquals(1, t.takes.get());
        assertEquals("strata-auto-failover-n1", stepUpThread.get());
        assertNotEquals(Thread.currentThread().getName(), stepUpThread.get());
    }

    @Test
    void aLoserKeepsFollowing() throws InterruptedException {
        Token t = new Token();
        t.wins.set(false);
        AtomicInteger stepUps = new AtomicInteger();
        AutoFailover af = new AutoFailover(t.pageLog(), stepUps::incrementAndGet, () -> true, "n1");
        t.lose("old");
        await(() -> t.takes.get() == 1, "the node competes for the token");
        af.close(); // waits for the rest of the take-over
        assertEquals(0, stepUps.get(), "a node that lost the token must not step up (it would depose the winner)");
    }

    @Test
    void aNodeThatIsNotAFollowerDoesNotCompete() throws InterruptedException {
        Token t = new Token();
        AtomicInteger stepUps = new AtomicInteger();
        AutoFailover af = new AutoFailover(t.pageLog(), stepUps::incrementAndGet, () -> false, "n1");
        t.lose("old");
        Thread.sleep(200); // time enough for a take-over, were one started
        af.close();
        assertEquals(0, t.takes.get());
        assertEquals(0, stepUps.get());
    }

    @Test
    void aWinnerWhoseStepUpFailsBeforeFencingReleasesTheToken() throws InterruptedException {
        Token t = new Token();
        AutoFailover af = new AutoFailover(
                t.pageLog(),
                () -> {
                    throw new StrataException(ErrorCode.INVALID_STATE, "schema operation still running");
                },
                () -> true,
                "n1");
        t.lose("old");
        await(() -> t.releases.get() == 1, "another follower must be able to try");
        af.close();
    }

    @Test
    void afterCloseNothingHappens() {
        Token t = new Token();
        AtomicInteger stepUps = new AtomicInteger();
        AutoFailover af = new AutoFailover(t.pageLog(), stepUps::incrementAndGet, () -> true, "n1");
        af.close();
        t.lose("old");
        assertEquals(0, t.takes.get());
        assertEquals(0, stepUps.get());
    }

    @Test
    void aNodeThatSteppedDownReleasesTheTokenAndLeavesItToOthersDuringTheBackoff() throws InterruptedException {
        Token t = new Token();
        AtomicInteger stepUps = new AtomicInteger();
        AutoFailover af =
                new AutoFailover(t.pageLog(), stepUps::incrementAndGet, () -> true, "n1", 60_000, System::nanoTime);
        AutoFailover.handOver(af, t.pageLog(), "n1");
        assertEquals(1, t.releases.get(), "a step-down releases the token, so that a watching follower takes over");
        t.lose("n1"); // its own release, as the watch reports it
        Thread.sleep(200); // time enough for a take-over, were one started
        af.close();
        assertEquals(0, t.takes.get(), "the node that just stepped down must not race for the token it gave away");
        assertEquals(0, stepUps.get());
    }

    @Test
    void afterTheBackoffTheNodeThatSteppedDownCompetesOnce() throws InterruptedException {
        Token t = new Token();
        AtomicInteger stepUps = new AtomicInteger();
        AutoFailover af =
                // a follower until it steps up, as an engine is: a late leaderLost then finds it leading
                new AutoFailover(
                        t.pageLog(), stepUps::incrementAndGet, () -> stepUps.get() == 0, "n1", 300, System::nanoTime);
        long t0 = System.nanoTime();
        AutoFailover.handOver(af, t.pageLog(), "n1");
        t.lose("n1");
        await(() -> stepUps.get() == 1, "nobody else took the token: the node takes it back after the back-off");
        long waitedMs = (System.nanoTime() - t0) / 1_000_000;
        af.close();
        assertEquals(1, t.takes.get());
        assertTrue(waitedMs >= 300, "competed after " + waitedMs + " ms, inside the 300 ms back-off");
    }

    @Test
    void afterTheBackoffANodeThatLosesTheRaceKeepsFollowing() throws InterruptedException {
        Token t = new Token();
        t.wins.set(false); // another follower took over during the back-off
        AtomicInteger stepUps = new AtomicInteger();
        AutoFailover af =
                new AutoFailover(t.pageLog(), stepUps::incrementAndGet, () -> true, "n1", 100, System::nanoTime);
        AutoFailover.handOver(af, t.pageLog(), "n1");
        await(() -> t.takes.get() == 1, "the node tries once when the back-off ends");
        af.close();
        assertEquals(0, stepUps.get());
    }

    @Test
    void aManualNodeOnlyReleasesTheToken() {
        Token t = new Token();
        AutoFailover.handOver(null, t.pageLog(), "n1");
        assertEquals(1, t.releases.get());
        assertEquals(0, t.takes.get());
    }

    @Test
    void theBackoffOptionIsValidated() {
        assertEquals(AutoFailover.DEFAULT_BACKOFF_MILLIS, AutoFailover.backoffOption(java.util.Map.of()));
        assertEquals(0, AutoFailover.backoffOption(java.util.Map.of("failover_backoff_ms", "0")));
        for (String bad : new String[] {"-1", "soon", ""}) {
            StrataException e = org.junit.jupiter.api.Assertions.assertThrows(
                    StrataException.class,
                    () -> AutoFailover.backoffOption(java.util.Map.of("failover_backoff_ms", bad)));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code(), bad);
            assertTrue(e.getMessage().contains("failover_backoff_ms"), e.getMessage());
        }
    }
}
