/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * fivedstem's immutable types and contracts: recordings ({@link org.fivedstem.api.Dataset5D}), their
 * calibration, masks and annuli, and the results of an analysis (curves, fits, maps). No dependencies.
 *
 * <p>{@code org.fivedstem.api.internal} (argument checks) is shared with the library's own modules only.
 */
module org.fivedstem.api {
    exports org.fivedstem.api;
    exports org.fivedstem.api.internal to org.fivedstem.core, org.fivedstem.io, org.fivedstem.examples;
}
