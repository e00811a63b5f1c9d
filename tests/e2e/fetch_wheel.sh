# Sourced by the e2e scripts that pin real wheels (real_wheels.sh, stripped_wheels.sh): one way
# to fetch a pinned wheel into the shared cache. Needs $cache, $python and $tmp set.
#
# fetch PYTHON_VERSION WHEEL_FILE: make sure $cache/WHEEL_FILE exists. Run in a subshell;
# on failure writes one line to $tmp/fetch-errors (prefixed "network:" when PyPI is
# unreachable) and returns 1.
fetch() {
    local py="$1" file="$2"
    [[ -s "$cache/$file" ]] && return 0
    # name-version-pythontag-abitag-platformtags.whl; the first platform tag is enough.
    local dist version platform abi=()
    IFS=- read -r dist version _ _ platform <<<"${file%.whl}"
    platform="${platform%%.*}"
    if [[ "$py" == *t ]]; then # free-threaded: 3.13t -> --python-version 3.13 --abi cp313t
        py="${py%t}"
        abi=(--abi "cp${py/./}t")
    fi
    echo "downloading $file ..."
    local staging out
    staging="$(mktemp -d "$cache/.download.XXXXXX")"
    if ! out="$("$python" -m pip download --no-deps --only-binary=:all: --no-cache-dir \
        --timeout 60 --retries 2 --platform "$platform" --python-version "$py" ${abi[@]+"${abi[@]}"} \
        -d "$staging" "$dist==$version" 2>&1)"; then
        rm -rf "$staging"
        if grep -qiE 'connection|network|resolve|timed out|max retries|proxy|ssl' <<<"$out"; then
            echo "network: PyPI is unreachable, and $file is not in the cache $cache" >>"$tmp/fetch-errors"
        else
            echo "pip could not download the pinned wheel $file: $(tail -n 2 <<<"$out" | tr '\n' ' ')" >>"$tmp/fetch-errors"
        fi
        return 1
    fi
    if [[ ! -f "$staging/$file" ]]; then
        local got
        got="$(cd "$staging" && ls)"
        rm -rf "$staging"
        echo "pip picked ${got:-nothing} instead of the pinned $file" >>"$tmp/fetch-errors"
        return 1
    fi
    mv "$staging/$file" "$cache/$file"
    rm -rf "$staging"
}
