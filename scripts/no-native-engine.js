#!/usr/bin/env node
// Stands in for Prisma's native engines, which this project never uses: queries go through the
// Rust-free client and a driver adapter, migrations through Prisma's WebAssembly schema engine.
// The Prisma CLI still checks for native engine files at start (and would try to download them);
// prisma.config.ts points PRISMA_SCHEMA_ENGINE_BINARY and PRISMA_QUERY_ENGINE_LIBRARY here.
console.error("Native Prisma engines are not used by this project (see prisma.config.ts).");
process.exit(1);
