package io.stratadb.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import org.junit.jupiter.api.Test;

class StateMachineTest {
    @Test
    void transactionTransitionsMatchTheTable() {
        assertEquals(EnumSet.of(TxnState.PREPARED, TxnState.COMMITTED, TxnState.ROLLED_BACK), next(TxnState.ACTIVE));
        assertEquals(EnumSet.of(TxnState.COMMITTED, TxnState.ROLLED_BACK), next(TxnState.PREPARED));
        assertTrue(next(TxnState.COMMITTED).isEmpty());
        assertTrue(next(TxnState.ROLLED_BACK).isEmpty());
        assertThrows(IllegalStateException.class, () -> TxnState.COMMITTED.checkTransition(TxnState.ACTIVE));
    }

    @Test
    void roleTransitionsMatchTheTable() {
        assertTrue(Role.FOLLOWER.canMoveTo(Role.STEPPING_UP));
        assertFalse(Role.FOLLOWER.canMoveTo(Role.LEADER));
        assertTrue(Role.STEPPING_UP.canMoveTo(Role.LEADER));
        assertTrue(Role.STEPPING_UP.canMoveTo(Role.FOLLOWER));
        assertTrue(Role.LEADER.canMoveTo(Role.STEPPING_DOWN));
        assertFalse(Role.LEADER.canMoveTo(Role.FOLLOWER));
        assertTrue(Role.STEPPING_DOWN.canMoveTo(Role.FOLLOWER));
        assertThrows(IllegalStateException.class, () -> Role.STEPPING_DOWN.checkTransition(Role.LEADER));
    }

    private static EnumSet<TxnState> next(TxnState s) {
        EnumSet<TxnState> out = EnumSet.noneOf(TxnState.class);
        for (TxnState t : TxnState.values()) {
            if (s.canMoveTo(t)) {
                out.add(t);
            }
        }
        return out;
    }
}
