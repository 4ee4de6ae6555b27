#!/usr/bin/env bash
# Builds and runs the libFuzzer target for SesameLDAP's wire format (not part of `swift build`).
#   Fuzz/run.sh [seconds]   (default 60; corpus and findings go to $FUZZ_DIR, default /tmp/sesame-fuzz)
# swift-asn1 is compiled into its own static library; the NIO-free wire sources of SesameLDAP
# (everything in Sources/SesameLDAP except the NIO handlers and the client) are compiled with
# the target, both with -sanitize=fuzzer,address.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN=${1:-60}
OUT=${FUZZ_DIR:-/tmp/sesame-fuzz}
ASN1=.build/checkouts/swift-asn1/Sources/SwiftASN1
[ -d "$ASN1" ] || swift package resolve
mkdir -p "$OUT/corpus" "$OUT/findings"

# swift-asn1 has a folder with spaces in its name ("Basic ASN1 Types"): keep the paths whole.
mapfile -d '' ASN1_SOURCES < <(find "$ASN1" -name '*.swift' -print0)
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name SwiftASN1 \
    -emit-library -static -emit-module -emit-module-path "$OUT/SwiftASN1.swiftmodule" \
    -o "$OUT/libSwiftASN1.a" "${ASN1_SOURCES[@]}"

WIRE=$(ls Sources/SesameLDAP/*.swift | grep -v -e LDAPFrameDecoder.swift -e LDAPMessageEncoder.swift)
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -module-name SesameLDAPFuzz \
    -I "$OUT" -L "$OUT" -lSwiftASN1 $WIRE Fuzz/LDAPFrameFuzz/main.swift -o "$OUT/ldap-frame-fuzz"

# Seeds: every message, filter and DN the tests spell out.
grep -ho '"30[0-9a-f]\{8,\}"' Tests/SesameLDAPTests/*.swift | tr -d '"' | while read -r h; do
    printf '%s' "$h" | xxd -r -p > "$OUT/corpus/msg-$(printf '%s' "$h" | sha1sum | cut -c1-16)"
done
grep -ho '#*"([^"]*)"#*' Tests/SesameLDAPTests/LDAPFilterTests.swift | sed 's/^#*"//; s/"#*$//' | while read -r f; do
    printf '%s' "$f" > "$OUT/corpus/filter-$(printf '%s' "$f" | sha1sum | cut -c1-16)"
done
for d in 'UID=jsmith,DC=example,DC=net' 'OU=Sales+CN=J.  Smith,DC=example,DC=net' 'CN=Before\0dAfter,DC=example,DC=net' \
         '1.3.6.1.4.1.1466.0=#04024869' 'CN=James \"Jim\" Smith\, III,DC=example,DC=net'; do
    printf '%s' "$d" > "$OUT/corpus/dn-$(printf '%s' "$d" | sha1sum | cut -c1-16)"
done

"$OUT/ldap-frame-fuzz" -max_total_time="$SECONDS_TO_RUN" -max_len=4096 -artifact_prefix="$OUT/findings/" -print_final_stats=1 "$OUT/corpus"
