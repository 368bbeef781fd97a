package io.stratadb.sql.calcite;

import java.util.function.Function;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelRule;
import org.apache.calcite.tools.RelBuilderFactory;
import org.jspecify.annotations.Nullable;

/**
 * A hand-written {@link RelRule.Config} (Calcite generates its own with the Immutables annotation processor,
 * which this build does not run).
 *
 * <p>Invariants: every {@code with*} method returns a new config; the rule factory receives the config.
 *
 * <p>Thread safety: immutable.
 */
final class RuleConfig implements RelRule.Config {
    private final RelBuilderFactory relBuilderFactory;
    private final @Nullable String description;
    private final RelRule.OperandTransform operands;
    private final Function<RuleConfig, RelOptRule> factory;

    RuleConfig(
            RelBuilderFactory relBuilderFactory,
            @Nullable String description,
            RelRule.OperandTransform operands,
            Function<RuleConfig, RelOptRule> factory) {
        this.relBuilderFactory = relBuilderFactory;
        this.description = description;
        this.operands = operands;
        this.factory = factory;
    }

    @Override
    public RelOptRule toRule() {
        return factory.apply(this);
    }

    @Override
    public RelBuilderFactory relBuilderFactory() {
        return relBuilderFactory;
    }

    @Override
    public RelRule.Config withRelBuilderFactory(RelBuilderFactory f) {
        return new RuleConfig(f, description, operands, factory);
    }

    @Override
    public @Nullable String description() {
        return description;
    }

    @Override
    public RelRule.Config withDescription(@Nullable String d) {
        return new RuleConfig(relBuilderFactory, d, operands, factory);
    }

    @Override
    public RelRule.OperandTransform operandSupplier() {
        return operands;
    }

    @Override
    public RelRule.Config withOperandSupplier(RelRule.OperandTransform transform) {
        return new RuleConfig(relBuilderFactory, description, transform, factory);
    }
}
