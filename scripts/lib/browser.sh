# Sourced by scripts/test: a headless Chromium for the dashboard's browser test (DashboardBrowserTest). Installed
# from the distribution's packages when missing and this runs as root on Debian or Ubuntu (CI does); otherwise the
# test skips and says why — it never passes without a browser.
ensure_browser() {
    if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 \
            || command -v google-chrome >/dev/null 2>&1; then
        return 0
    fi
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        echo "scripts/test: no Chromium here and no way to install one (needs root and apt-get): the dashboard's browser test will skip"
        return 0
    fi
    echo "scripts/test: installing Chromium for the dashboard's browser test (apt-get install chromium)"
    export DEBIAN_FRONTEND=noninteractive
    if ! timeout 300 apt-get install -y -qq chromium >/dev/null 2>&1; then
        timeout 300 apt-get update -qq >/dev/null 2>&1 || true
        timeout 300 apt-get install -y -qq chromium >/dev/null 2>&1 \
            || echo "scripts/test: could not install Chromium: the dashboard's browser test will skip"
    fi
}
