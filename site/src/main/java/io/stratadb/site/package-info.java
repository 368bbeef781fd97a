/**
 * Renders the documentation site: Markdown pages under {@code src/site/markdown} to HTML under {@code
 * target/site}, in every build.
 */
@NullMarked
package io.stratadb.site;

import org.jspecify.annotations.NullMarked;
