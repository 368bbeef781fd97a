package io.stratadb.engine.btree;

import java.util.ArrayList;
import java.util.List;

/**
 * The bottom-up construction of a tree's internal levels over a run of leaves and stubs in key order, as a load
 * from a checkpoint needs it.
 *
 * <p>Invariants: (1) every internal node built has between {@code ceil(maxNode / 2)} and {@code maxNode}
 * children, except a root over fewer; (2) each separator is the first key (or a stub's route key) of the child to
 * its right, so searches descend as through a tree built by inserts.
 *
 * <p>Thread safety: stateless.
 */
final class InternalLevels {
    private InternalLevels() {}

    /** The root over {@code level} (non-empty, in key order), with nodes of at most {@code maxNode} children. */
    static Node build(List<Node> level, int maxNode) {
        List<Node> current = level;
        while (current.size() > 1) {
            int groups = (current.size() + maxNode - 1) / maxNode;
            List<Node> up = new ArrayList<>(groups);
            int from = 0;
            for (int g = 0; g < groups; g++) {
                int to = from + (current.size() - from) / (groups - g);
                Node[] children = current.subList(from, to).toArray(new Node[0]);
                byte[][] seps = new byte[children.length - 1][];
                for (int i = 1; i < children.length; i++) {
                    seps[i - 1] = firstKey(children[i]);
                }
                up.add(new Internal(seps, children));
                from = to;
            }
            current = up;
        }
        return current.get(0);
    }

    private static byte[] firstKey(Node n) {
        Node x = n;
        while (x instanceof Internal in) {
            x = in.children[0];
        }
        return x instanceof Leaf leaf ? leaf.slot(0).key() : ((Stub) x).routeKey;
    }
}
