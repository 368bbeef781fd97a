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
}
