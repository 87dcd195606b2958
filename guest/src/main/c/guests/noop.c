/* The "noop" test guest: the smallest useful guest, for call-overhead benchmarks. */
#include "molt_guest.h"

static molt_value noop(const molt_value *args) {
    (void)args;
    return molt_void();
}

void molt_init(void) { molt_register("Noop", "void(i32)", noop); }
