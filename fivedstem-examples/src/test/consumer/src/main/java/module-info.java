/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * A user's module: all it needs of fivedstem is {@code org.fivedstem.io}, which brings core and api with it.
 */
module org.fivedstem.consumer {
    requires org.fivedstem.io;
}
