#!/bin/bash
# sockctl_runs.sh: the sockctl binary and its shared libraries made it into
# the guest: `sockctl --version` runs under the lab kernel and exits 0.
. /lab/lib.sh

need_sockctl
check "sockctl --version exits 0" sockctl --version
sockctl --version
finish
