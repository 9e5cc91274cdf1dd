#!/usr/bin/env bash
# gpu-check.sh: the prepared GPU check of the prover (issue 15, docs/prover.md).
#
# On a machine with an NVIDIA GPU and the CUDA toolkit it builds the ICICLE
# libraries from the Go module cache (no network), builds sheaf with
# -tags icicle, and for each size runs `sheaf bench prover` with the cpu and
# the gpu backend (bare proofs, --pool=false: no PostgreSQL), every proof
# verified natively. It prints one JSON line per size on stdout (progress
# goes to stderr) and exits 1 if any proof did not verify.
#
# Without nvidia-smi, or with --cpu-only / GPU_CHECK_CPU_ONLY=1, it skips the
# GPU (saying so on stderr and in each line's "gpu_skipped") and runs the
# cpu backend only: CI runs that path (cmd/sheaf TestGPUCheckScriptCPU).
#
# Environment (all optional):
#   GPU_CHECK_CPU_ONLY=1     as --cpu-only
#   GPU_CHECK_SIZES          sizes, space-separated: "20" is about 2^20
#                            constraints (transfers per batch picked from the
#                            circuit's constraints per transfer), "c500000" about
#                            500,000 constraints, "t8" is 8 transfers. Default "20 22 24" ("t1" in CPU-only mode).
#   GPU_CHECK_DEPTH          account tree depth (default 24)
#   GPU_CHECK_EXTRA          more flags for `sheaf bench prover`/`bench circuit`
#                            (e.g. "--deposits 1 --withdrawals 1")
#   GPU_CHECK_BATCHES        batches proven per backend and size (default 1)
#   GPU_CHECK_BIN            a sheaf binary to use instead of building one
#   GPU_CHECK_BYTES_PER_CONSTRAINT  host memory a proof needs per constraint
#                            (default 3000, measured: 2.93 GB for 1.1 M with setup);
#                            a size is halved until it fits in 80 % of MemAvailable
#   GPU_CHECK_ICICLE_PREFIX  where the ICICLE libraries are installed (default
#                            ~/.cache/sheaf/icicle-gnark-<version>; reused when present)
#   GPU_CHECK_GPU_DEVICE     CUDA device id (default 0)
#   CUDA_ARCH                CUDA architecture for ICICLE (default: the GPU's own)
set -euo pipefail

cpu_only="${GPU_CHECK_CPU_ONLY:-0}"
for a in "$@"; do
	case "$a" in
	--cpu-only) cpu_only=1 ;;
	-h | --help)
		sed -n '2,/^set -euo/p' "$0" | sed 's/^# \{0,1\}//; /^set -euo/d'
		exit 0
		;;
	*)
		echo "gpu-check: unknown argument $a" >&2
		exit 2
		;;
	esac
done

log() { echo "gpu-check: $*" >&2; }
die() {
	log "$*"
	exit 1
}

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
depth="${GPU_CHECK_DEPTH:-24}"
batches="${GPU_CHECK_BATCHES:-1}"
extra="${GPU_CHECK_EXTRA:-}"
device="${GPU_CHECK_GPU_DEVICE:-0}"
bpc="${GPU_CHECK_BYTES_PER_CONSTRAINT:-3000}"
work="$(mktemp -d "${TMPDIR:-/tmp}/gpu-check.XXXXXX")"
smi=""
cleanup() {
	if [[ -n "$smi" ]]; then kill "$smi" 2>/dev/null || true; fi
	rm -rf "$work"
}
trap cleanup EXIT

skipped=""
if [[ "$cpu_only" != 0 ]]; then
	skipped="CPU-only mode requested"
elif ! command -v nvidia-smi >/dev/null 2>&1; then
	skipped="nvidia-smi not found: no NVIDIA GPU here"
elif ! nvidia-smi -L >/dev/null 2>&1; then
	skipped="nvidia-smi found no usable GPU"
fi
if [[ -n "$skipped" ]]; then
	log "skipping the GPU ($skipped); running the cpu backend only"
	sizes="${GPU_CHECK_SIZES:-t1}"
else
	sizes="${GPU_CHECK_SIZES:-20 22 24}"
fi

gpu_name=""
if [[ -z "$skipped" ]]; then
	gpu_name="$(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader -i "$device" | head -1)"
	log "GPU $device: $gpu_name"
	nvcc="$(command -v nvcc || true)"
	if [[ -z "$nvcc" && -x /usr/local/cuda/bin/nvcc ]]; then nvcc=/usr/local/cuda/bin/nvcc; fi
	[[ -n "$nvcc" ]] || die "nvcc not found (install the CUDA toolkit, or run with --cpu-only)"
	command -v cmake >/dev/null || die "cmake not found (needed to build ICICLE)"

	# 1. ICICLE, from the module gnark's icicle backend pins, in the module
	# cache (go.sum lists it; nothing is downloaded: GOFLAGS=-mod=mod and
	# GOPROXY=off make a missing module an error instead of a fetch).
	mod=github.com/ingonyama-zk/icicle-gnark/v3
	src="$(GOPROXY=off go list -m -f '{{.Dir}}' "$mod" 2>/dev/null || true)"
	ver="$(GOPROXY=off go list -m -f '{{.Version}}' "$mod" 2>/dev/null || true)"
	[[ -n "$src" && -d "$src/icicle" ]] ||
		die "$mod is not in the module cache; with network once: go mod download $mod"
	prefix="${GPU_CHECK_ICICLE_PREFIX:-${XDG_CACHE_HOME:-$HOME/.cache}/sheaf/icicle-gnark-$ver}"
	if [[ -f "$prefix/.complete" ]]; then
		log "ICICLE $ver: reusing $prefix"
	else
		log "ICICLE $ver: building from $src into $prefix (first run only; several minutes)"
		cp -r "$src/icicle" "$work/icicle-src" # the module cache is read-only
		chmod -R u+w "$work/icicle-src"
		arch=()
		if [[ -n "${CUDA_ARCH:-}" ]]; then arch=("-DCUDA_ARCH=$CUDA_ARCH"); fi
		# bn254 is the curve Sheaf proves on; gnark's icicle package links
		# the other three curves' libraries too, so they are built as well.
		for curve in bn254 bls12_377 bls12_381 bw6_761; do
			log "ICICLE: $curve"
			cmake -S "$work/icicle-src" -B "$work/icicle-build-$curve" \
				-DCMAKE_BUILD_TYPE=Release -DCMAKE_CUDA_COMPILER="$nvcc" \
				-DCURVE="$curve" -DCUDA_BACKEND=ON -DBUILD_TESTS=OFF \
				-DCMAKE_INSTALL_PREFIX="$prefix" ${arch[@]+"${arch[@]}"} >"$work/cmake-$curve.log" 2>&1 ||
				die "cmake configure for $curve failed: $(tail -20 "$work/cmake-$curve.log")"
			cmake --build "$work/icicle-build-$curve" --target install -j "$(nproc)" >>"$work/cmake-$curve.log" 2>&1 ||
				die "ICICLE build for $curve failed: $(tail -20 "$work/cmake-$curve.log")"
		done
		mkdir -p "$prefix"
		touch "$prefix/.complete"
	fi
	export ICICLE_BACKEND_INSTALL_DIR="$prefix/lib/backend"
	export LD_LIBRARY_PATH="$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"

	# 2. sheaf with the GPU backend (it proves on the CPU too).
	if [[ -n "${GPU_CHECK_BIN:-}" ]]; then
		bin="$GPU_CHECK_BIN"
	else
		bin="$work/sheaf-gpu"
		log "building sheaf -tags icicle"
		CGO_LDFLAGS="-L$prefix/lib -Wl,-rpath,$prefix/lib" go build -tags icicle -o "$bin" ./cmd/sheaf
	fi
else
	if [[ -n "${GPU_CHECK_BIN:-}" ]]; then
		bin="$GPU_CHECK_BIN"
	else
		bin="$work/sheaf"
		log "building sheaf"
		go build -o "$bin" ./cmd/sheaf
	fi
fi

# field JSON NAME: a scalar field of a one-line JSON object.
field() { sed -n 's/.*"'"$2"'":\([^,}]*\).*/\1/p' <<<"$1" | head -1; }

# Constraints per transfer, from two compiles (no setup) when a size is
# given as a power of two.
per="" base=""
for s in $sizes; do
	if [[ "$s" != t* ]]; then
		# shellcheck disable=SC2086
		c1="$(field "$("$bin" bench circuit --depth "$depth" --transfers 1 $extra | tr -d ' \n')" constraints)"
		# shellcheck disable=SC2086
		c2="$(field "$("$bin" bench circuit --depth "$depth" --transfers 2 $extra | tr -d ' \n')" constraints)"
		per=$((c2 - c1))
		base=$((c1 - per))
		log "depth $depth: $per constraints per transfer, $base fixed"
		break
	fi
done

avail_kb="$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)"

# bench BACKEND TRANSFERS: one `sheaf bench prover` run, its compact JSON on stdout.
bench() {
	# shellcheck disable=SC2086
	"$bin" bench prover --depth "$depth" --transfers "$2" $extra --batches "$batches" \
		--pool=false --compact --prover.backend "$1" --prover.gpu-device "$device" 2>"$work/bench.log" ||
		die "bench prover --prover.backend $1 --transfers $2 failed: $(tail -20 "$work/bench.log")"
}

# part JSON: the per-backend object of the output line.
part() {
	local warm
	warm="$(field "$1" warmup_seconds)"
	printf '{"solve_seconds":%s,"prove_seconds":%s,"bare_seconds_per_batch":%s,"load_seconds":%s,"warmup_seconds":%s,"peak_rss_bytes":%s,"verified":%s,"invalid_proofs":%s}' \
		"$(field "$1" solve_seconds)" "$(field "$1" prove_seconds)" "$(field "$1" bare_seconds_per_batch)" \
		"$(field "$1" load_seconds)" "${warm:-null}" "$(field "$1" peak_rss_bytes)" "$(field "$1" verified)" "$(field "$1" invalid_proofs)"
}

all_ok=1
for s in $sizes; do
	target="null" reduced="null"
	if [[ "$s" == t* ]]; then
		transfers="${s#t}"
		label="$s"
	else
		if [[ "$s" == c* ]]; then
			target="${s#c}"
			label="$s"
		else
			target=$((1 << s))
			label="2^$s"
		fi
		transfers=$(((target - base + per / 2) / per))
		((transfers >= 1)) || transfers=1
		# Smaller when host memory is short (setup and proof hold the keys).
		if ((avail_kb > 0)); then
			while ((transfers > 1 && (base + transfers * per) * bpc / 1024 > avail_kb * 8 / 10)); do
				reduced=$transfers
				transfers=$((transfers / 2))
			done
			if [[ "$reduced" != null ]]; then log "$label: reduced to $transfers transfers per batch (MemAvailable $avail_kb kB)"; fi
		fi
	fi
	log "$label: $transfers transfers per batch, cpu backend"
	cpu="$(bench cpu "$transfers")"
	gpu="null" speedup="null" speedup_total="null" gpu_mem="null" skip_field=""
	if [[ -z "$skipped" ]]; then
		log "$label: gpu backend"
		# The GPU's memory in use, sampled while it proves; the maximum is reported.
		nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -i "$device" -lms 200 >"$work/gpumem" 2>/dev/null &
		smi=$!
		# Wait (up to 5 s) for the first sample, so that a run shorter than
		# the sampling interval still reports one.
		for _ in $(seq 50); do
			[[ -s "$work/gpumem" ]] && break
			kill -0 "$smi" 2>/dev/null || break
			sleep 0.1
		done
		g="$(bench gpu "$transfers")"
		kill "$smi" 2>/dev/null || true
		wait "$smi" 2>/dev/null || true
		smi=""
		gpu_mem="$(awk 'BEGIN {m = 0} $1 + 0 > m {m = $1 + 0} END {print m * 1048576}' "$work/gpumem")"
		gpu="$(part "$g")"
		gpu="${gpu%\}},\"gpu_memory_used_max_bytes\":$gpu_mem}"
		speedup="$(awk -v c="$(field "$cpu" prove_seconds)" -v g="$(field "$g" prove_seconds)" 'BEGIN {printf "%.2f", (g > 0 ? c / g : 0)}')"
		speedup_total="$(awk -v c="$(field "$cpu" bare_seconds_per_batch)" -v g="$(field "$g" bare_seconds_per_batch)" 'BEGIN {printf "%.2f", (g > 0 ? c / g : 0)}')"
		[[ "$(field "$g" verified)" == true ]] || all_ok=0
	else
		skip_field=",\"gpu_skipped\":\"$skipped\""
	fi
	[[ "$(field "$cpu" verified)" == true ]] || all_ok=0
	printf '{"size":"%s","target_constraints":%s,"depth":%s,"transfers":%s,"reduced_from_transfers":%s,"constraints":%s,"batches":%s,"gpu_name":%s,"cpu":%s,"gpu":%s,"speedup_prove":%s,"speedup_total":%s%s}\n' \
		"$label" "$target" "$depth" "$transfers" "$reduced" "$(field "$cpu" constraints)" "$batches" \
		"$([[ -n "$gpu_name" ]] && printf '"%s"' "$gpu_name" || echo null)" \
		"$(part "$cpu")" "$gpu" "$speedup" "$speedup_total" "$skip_field"
done

((all_ok)) || die "some proofs did not verify natively"
