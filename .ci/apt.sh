# Sourced by the CI scripts. apt_install PKG... installs Debian packages without recommends, with
# no standard input, once per package.
#
# A package's install script may start a daemon (postgresql starts its cluster). A daemon that
# inherits our stdout, stderr or the pipe of a "$(...)" would keep it open after we exit and
# CI would wait for it forever, so apt runs with its output in a log file, printed afterwards.
apt_install() {
	local sudo="" log
	if [ "$(id -u)" != 0 ]; then sudo="sudo -n"; fi
	log="$(mktemp "${TMPDIR:-/tmp}/gradjudge-ci-apt.XXXXXX")"
	if [ -z "${GRADJUDGE_CI_APT_UPDATED:-}" ]; then
		if ! $sudo apt-get update -q </dev/null >"$log" 2>&1 3>&-; then
			cat "$log" >&2
			return 1
		fi
		GRADJUDGE_CI_APT_UPDATED=1
	fi
	if ! $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" \
		</dev/null >"$log" 2>&1 3>&-; then
		cat "$log" >&2
		return 1
	fi
	echo "installed: $*" >&2
	rm -f "$log"
}
