package io.stratadb.sql.xa;

import com.arjuna.ats.arjuna.common.ObjectStoreEnvironmentBean;
import com.arjuna.ats.arjuna.common.arjPropertyManager;
import com.arjuna.ats.arjuna.common.recoveryPropertyManager;
import com.arjuna.ats.arjuna.recovery.RecoveryManager;
import com.arjuna.ats.internal.jta.recovery.arjunacore.XARecoveryModule;
import com.arjuna.ats.jta.common.jtaPropertyManager;
import com.arjuna.common.internal.util.propertyservice.BeanPopulator;
import jakarta.transaction.TransactionManager;
import java.nio.file.Path;
import java.util.List;

/**
 * Narayana configured for tests: its object store in a given directory (never the working directory), one node
 * identifier whose xids recovery handles, and a fast recovery scan driven by the test.
 *
 * <p>Invariants: {@link #configure} runs before anything else touches Narayana in this JVM (its beans are read
 * once); the parent test and its crash child use the same store and node identifier.
 *
 * <p>Thread safety: call from one thread at start-up.
 */
final class NarayanaSetup {
    static final String NODE = "strata-xa-test";

    private NarayanaSetup() {}

    static void configure(Path store) throws Exception {
        arjPropertyManager.getCoreEnvironmentBean().setNodeIdentifier(NODE);
        jtaPropertyManager.getJTAEnvironmentBean().setXaRecoveryNodes(List.of(NODE));
        for (String name : List.of("default", "communicationStore", "stateStore")) {
            BeanPopulator.getNamedInstance(ObjectStoreEnvironmentBean.class, name)
                    .setObjectStoreDir(store.toString());
        }
        BeanPopulator.getDefaultInstance(ObjectStoreEnvironmentBean.class).setObjectStoreDir(store.toString());
        recoveryPropertyManager.getRecoveryEnvironmentBean().setRecoveryBackoffPeriod(1);
        recoveryPropertyManager.getRecoveryEnvironmentBean().setPeriodicRecoveryPeriod(3600);
    }

    static TransactionManager transactionManager() {
        return com.arjuna.ats.jta.TransactionManager.transactionManager();
    }

    /** The recovery manager, scanning only when the test says so. */
    static RecoveryManager recoveryManager() {
        return RecoveryManager.manager(RecoveryManager.DIRECT_MANAGEMENT);
    }

    static XARecoveryModule xaRecoveryModule() {
        recoveryManager();
        return XARecoveryModule.getRegisteredXARecoveryModule();
    }
}
