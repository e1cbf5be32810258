# apt_install PACKAGE…: installs the Debian packages named, when any are named. As root it runs
# apt-get; otherwise it says what to install and fails, rather than half-setting a machine up.
apt_install() {
  [ $# -gt 0 ] || return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: $* — install them with: sudo apt-get install $*" >&2
    return 1
  fi
  echo "installing $*"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
