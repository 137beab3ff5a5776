/* smelt-version.h: the export macro that makes a declaration part of the libsmelt-host ABI
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The library is built with hidden symbol visibility: a function is exported
 * only when its declaration in an installed header carries
 * SMELT_AVAILABLE_IN_ALL, so the documented API is the whole ABI
 * (tests/abi/check-abi.py holds it to that).
 */
#pragma once

/**
 * SMELT_AVAILABLE_IN_ALL:
 *
 * Marks a function as part of the public API of libsmelt-host, exported
 * from the shared library.
 */
#if defined(__GNUC__)
# define SMELT_AVAILABLE_IN_ALL __attribute__((visibility ("default"))) extern
#else
# define SMELT_AVAILABLE_IN_ALL extern
#endif
