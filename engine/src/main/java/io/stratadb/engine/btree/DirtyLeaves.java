package io.stratadb.engine.btree;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dirty set of one tree: the leaves (by their {@link PageMeta}) changed since a checkpoint last wrote them, so
 * a checkpoint reconciles only those and skips a tree with none.
 *
 * <p>Invariants: every leaf of the tree whose meta is dirty is in the set (a meta adds itself when its flag goes
 * from clean to dirty; a checkpoint pass empties the set before it walks the tree and re-adds what it leaves
 * dirty); the set may also hold metas that already left the tree or are clean again (harmless: a pass then
 * walks a tree it could have skipped).
 *
 * <p>Thread safety: thread-safe (a concurrent set; writers add from any thread).
 */
public final class DirtyLeaves {
    private final Set<PageMeta> metas = ConcurrentHashMap.newKeySet();

    void add(PageMeta meta) {
        metas.add(meta);
    }

    /** Keeps {@code meta} in the set if it is dirty (a checkpoint pass re-adding what it leaves dirty). */
    public void keep(PageMeta meta) {
        if (meta.dirty()) {
            metas.add(meta);
        }
    }

    /** Whether no leaf is dirty. */
    public boolean isEmpty() {
        return metas.isEmpty();
    }

    /** Number of entries (tests, statistics). */
    public int size() {
        return metas.size();
    }

    /** Empties the set: the caller is about to walk the tree and re-add every leaf it leaves dirty. */
    public void clear() {
        metas.clear();
    }
}
