#!/usr/bin/env bash
# Installs and starts Debian's PostgreSQL on a clean machine, with no standard input, and creates
# the test role and database. Prints the line that points the tests at it, e.g.
#   eval "$(.ci/postgres.sh)"
# Everything else goes to stderr. Safe to run twice.
set -euo pipefail
exec 3>&1 1>&2 </dev/null

. "$(dirname "$0")/apt.sh"
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi

if ! command -v pg_ctlcluster >/dev/null || ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
	apt_install postgresql
fi

version="$(ls /usr/lib/postgresql | sort -V | tail -n1)"
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -qx "$version main"; then
	$SUDO pg_createcluster "$version" main </dev/null 3>&-
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $4}' | grep -qx online; then
	# The server is a daemon: it must hold none of our descriptors. Holding fd 3 (the pipe that
	# "$(.ci/postgres.sh)" reads to its end) or CI's stdout/stderr would make CI wait for it forever.
	log="$(mktemp "${TMPDIR:-/tmp}/gradjudge-ci-postgres.XXXXXX")"
	if ! $SUDO pg_ctlcluster "$version" main start </dev/null >"$log" 2>&1 3>&-; then
		cat "$log"
		exit 1
	fi
	cat "$log"
	rm -f "$log"
fi
port="$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" {print $3}')"

# psql as the postgres superuser, from a directory it can read.
psql_admin() {
	if [ -z "$SUDO" ]; then
		(cd / && runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@")
	else
		(cd / && sudo -n -u postgres psql -p "$port" -v ON_ERROR_STOP=1 -qtA "$@")
	fi
}

user=gradjudge
password=gradjudge
db=gradjudge_test
if [ "$(psql_admin -c "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" != 1 ]; then
	psql_admin -c "CREATE ROLE $user LOGIN PASSWORD '$password' CREATEDB"
fi
if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
	psql_admin -c "CREATE DATABASE $db OWNER $user"
fi

echo "export GRADJUDGE_TEST_POSTGRES_URL='postgres://$user:$password@localhost:$port/$db?sslmode=disable'" >&3
