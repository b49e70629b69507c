#!/usr/bin/env bash
# Regenerates TensorBoardEvents.pb.swift from tensorboard_events.proto (run from the repository root).
# Needs protoc (Debian: apt-get install protobuf-compiler) and protoc-gen-swift of the swift-protobuf
# version Package.swift resolves, built outside the repository:
#   git clone https://github.com/apple/swift-protobuf /tmp/swift-protobuf
#   (cd /tmp/swift-protobuf && git checkout 1.39.0 && swift build -c release --product protoc-gen-swift)
# The generated code is committed: the build needs neither protoc nor the swift-protobuf plugin.
set -euo pipefail
plugin=${PROTOC_GEN_SWIFT:-/tmp/swift-protobuf/.build/release/protoc-gen-swift}
here=Sources/Ingest/TensorBoard/Proto
out=$(mktemp -d)
protoc --plugin=protoc-gen-swift="$plugin" --proto_path="$here" \
    --swift_opt=Visibility=Internal --swift_opt=FileNaming=DropPath --swift_out="$out" \
    "$here/tensorboard_events.proto"
# The generated file starts with `// swift-format-ignore-file`: `make lint` skips it.
cp "$out/tensorboard_events.pb.swift" Sources/Ingest/TensorBoard/TensorBoardEvents.pb.swift
rm -r "$out"
