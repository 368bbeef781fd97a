package io.stratadb.pagelog.bookkeeper.sweep;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule that decides which ledgers of one page log a sweep may delete, and the argument that no reader or
 * writer can ever need them.
 *
 * <p>A sweeper that claimed epoch {@code E} (its claim set the epoch znode to version {@code v}) deletes ledger
 * {@code X} only if all three hold:
 *
 * <ol>
 *   <li>{@code X}'s tag ({@link LedgerTag}) names this page log's base path (other page logs share the cluster);
 *   <li>the tag's epoch {@code e} is known and {@code e < E};
 *   <li>{@code X} is absent from a manifest read <em>after</em> the claim: in one ZooKeeper session, a read of the
 *       epoch znode returned version {@code v} (so that session's view already holds the claim, or it would show an
 *       older version) and the manifest was read after it. ZooKeeper reads are not linearizable; a manifest served
 *       by a lagging server, or in a new session, could predate a registration that the claim then froze in.
 * </ol>
 *
 * <p>Why that is safe:
 *
 * <ol>
 *   <li>Only a writer of epoch {@code e} ever adds {@code X} to the manifest. A manifest write adds only the ledger
 *       its writer has just created, tagged with its own epoch (the claim's first ledger, a roll's next ledger); a
 *       reclaim only removes ledgers.
 *   <li>Every manifest write is one ZooKeeper multi whose first operation checks that the epoch znode still has the
 *       writer's version. The claim of {@code E} changed that version (the manifest znode's own version does not
 *       change on a claim; the check on the epoch znode is what stops the old writer). So an epoch-{@code e} write
 *       that commits after the claim fails as a whole, however late it arrives: a paused writer, a write whose
 *       reply was lost, a retry.
 *   <li>By 1 and 2, after the claim {@code X} can only leave the manifest, never enter it. If it was registered
 *       before the claim, the manifest still lists it at the claim, so the later read of rule 3 lists it (the
 *       sweep keeps it) unless a reclaim has removed it since. If it was not registered by then, it never will be.
 *   <li>Writers: the creator of {@code X} is fenced (its epoch is older); it can neither register {@code X} nor
 *       make anyone read it. Writers of {@code E} and later recover and read only ledgers of the manifest.
 *   <li>Readers read only ledgers named by a manifest they read. A manifest older than the sweep's names {@code X}
 *       only if a reclaim removed {@code X} since; the reclaim deletes {@code X} itself right after that removal
 *       (its live records were first rewritten into a newer ledger), so the sweep adds nothing a reader does not
 *       already meet: a reader skips a manifest ledger that is gone, as it did before the sweep existed.
 * </ol>
 *
 * <p>Ledgers tagged {@code E} are the sweeper's own writer's, which may be between creating one and registering
 * it; ledgers tagged above {@code E} belong to a newer writer. Neither is touched: a ledger its own epoch leaks is
 * swept by the next leader (a reclaim's failed deletes are retried by {@link LedgerSweeper#deleteLater}, because
 * the sweeper's own successful manifest write proves those are unlisted). Whether the ledgers are listed before or
 * after the manifest read does not matter for ledgers tagged below {@code E}; the sweeper lists them first.
 *
 * <p>Invariants: {@link #leaked} returns only ledgers meeting 1 to 3, given a manifest read as rule 3 says.
 *
 * <p>Thread safety: stateless.
 */
public final class SweepRule {
    private SweepRule() {}

    /** A ledger the rule lets the sweep delete. */
    public record Leaked(long ledgerId, long epoch) {}

    /**
     * The ledgers of {@code tags} that the sweeper of {@code sweeperEpoch} may delete, given the ledger ids of a
     * manifest read after its claim.
     *
     * @param basePath this page log's base path
     * @param tags the tags of the ledgers listed on the cluster (any page log's)
     * @param sweeperEpoch the sweeper's claimed epoch
     * @param manifest the ledger ids of the manifest, read as rule 3 says
     */
    public static List<Leaked> leaked(
            String basePath, Map<Long, LedgerTag> tags, long sweeperEpoch, Set<Long> manifest) {
        List<Leaked> out = new ArrayList<>();
        for (Map.Entry<Long, LedgerTag> e : tags.entrySet()) {
            LedgerTag t = e.getValue();
            if (t.pageLog().equals(basePath)
                    && t.hasEpoch()
                    && t.epoch() < sweeperEpoch
                    && !manifest.contains(e.getKey())) {
                out.add(new Leaked(e.getKey(), t.epoch()));
            }
        }
        out.sort(java.util.Comparator.comparingLong(Leaked::ledgerId));
        return out;
    }
}
