/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The kernel choice as this module's tests run it: with {@code --add-modules jdk.incubator.vector}
 * (the core POM's surefire argLine), so the Vector API kernel must have loaded and be preferred, and
 * the contract test has run it beside the scalar one.
 */
class GramKernelsTest {

    @Test
    void theVectorKernelLoadsWhenItsModuleIsPresent() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
            "the tests run with --add-modules jdk.incubator.vector");
        assertEquals(2, GramKernels.all().size(), GramKernels.description());
        assertSame(ScalarGramKernel.INSTANCE, GramKernels.all().get(0));
        assertEquals("PanamaGramKernel", GramKernels.preferred().getClass().getSimpleName());
        assertTrue(GramKernels.description().startsWith("Vector API, "), GramKernels.description());
    }
}
