;; The elementwise parts of a training step with WebAssembly SIMD, on byte offsets into the
;; kernels' memory: bias, ReLU, the bias gradient, the gradient check and the optimizers'
;; updates. Each one computes exactly what its TypeScript loop does, bit for bit (vector.ts
;; uses it where the arrays live in that memory): float32 additions where the loop adds two
;; float32 values, and float64 arithmetic (f64x2) where the loop computes in JavaScript
;; numbers and rounds once when it stores. No relaxed instructions: one variant, the same on
;; every machine. Assembled by scripts/build-wasm.mjs, as written and with a shared memory.
(module
  (import "env" "memory" (memory 1 16384)) ;; MEMORY

  ;; y[i] = x[i] > 0 ? x[i] : 0   (NaN and -0 give +0)
  (func (export "relu_forward") (param $x i32) (param $y i32) (param $n i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $y) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        (v128.store (local.get $y)
          (v128.and (local.get $v) (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $next)))
    (local.set $end (i32.add (local.get $y) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
        (f32.store (local.get $y)
          (select (f32.load (local.get $x)) (f32.const 0)
            (f32.gt (f32.load (local.get $x)) (f32.const 0))))
        (local.set $x (i32.add (local.get $x) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (br $next))))

  ;; gx[i] = y[i] > 0 ? g[i] : 0   (y: the saved output)
  (func (export "relu_backward") (param $g i32) (param $y i32) (param $gx i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $gx) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $gx) (local.get $end)))
        (v128.store (local.get $gx)
          (v128.and (v128.load (local.get $g))
            (f32x4.gt (v128.load (local.get $y)) (v128.const f32x4 0 0 0 0))))
        (local.set $g (i32.add (local.get $g) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $gx (i32.add (local.get $gx) (i32.const 16)))
        (br $next)))
    (local.set $end (i32.add (local.get $gx) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $gx) (local.get $end)))
        (f32.store (local.get $gx)
          (select (f32.load (local.get $g)) (f32.const 0)
            (f32.gt (f32.load (local.get $y)) (f32.const 0))))
        (local.set $g (i32.add (local.get $g) (i32.const 4)))
        (local.set $y (i32.add (local.get $y) (i32.const 4)))
        (local.set $gx (i32.add (local.get $gx) (i32.const 4)))
        (br $next))))

  ;; y[r, j] += b[j] for the rows × cols matrix y
  (func (export "add_bias") (param $y i32) (param $b i32) (param $rows i32) (param $cols i32)
    (local $r i32) (local $j i32) (local $full i32) (local $row i32)
    (local.set $full (i32.and (local.get $cols) (i32.const -4)))
    (local.set $r (i32.const 0))
    (block $done_r
      (loop $next_r
        (br_if $done_r (i32.ge_u (local.get $r) (local.get $rows)))
        (local.set $row (i32.add (local.get $y) (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2))))
        (local.set $j (i32.const 0))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $j) (local.get $full)))
            (v128.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))
              (f32x4.add
                (v128.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))))
                (v128.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $next)))
        (block $done
          (loop $next
            (br_if $done (i32.ge_u (local.get $j) (local.get $cols)))
            (f32.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))
              (f32.add
                (f32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))))
                (f32.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $next)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $next_r))))

  ;; out[j] += g[0, j] + g[1, j] + … in that order (the bias gradient; out starts at zero)
  (func (export "column_sums") (param $g i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $j i32) (local $r i32) (local $p i32) (local $cb i32) (local $acc v128) (local $s f32)
    (local.set $cb (i32.shl (local.get $cols) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $done_j
      (loop $next_j
        (br_if $done_j (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $cols)))
        (local.set $acc (v128.load (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $p (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $r (local.get $rows))
        (block $done
          (loop $next
            (br_if $done (i32.eqz (local.get $r)))
            (local.set $acc (f32x4.add (local.get $acc) (v128.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (local.get $cb)))
            (local.set $r (i32.sub (local.get $r) (i32.const 1)))
            (br $next)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (local.get $acc))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $next_j)))
    (block $done_j
      (loop $next_j
        (br_if $done_j (i32.ge_u (local.get $j) (local.get $cols)))
        (local.set $s (f32.load (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $p (i32.add (local.get $g) (i32.shl (local.get $j) (i32.const 2))))
        (local.set $r (local.get $rows))
        (block $done
          (loop $next
            (br_if $done (i32.eqz (local.get $r)))
            (local.set $s (f32.add (local.get $s) (f32.load (local.get $p))))
            (local.set $p (i32.add (local.get $p) (local.get $cb)))
            (local.set $r (i32.sub (local.get $r) (i32.const 1)))
            (br $next)))
        (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next_j))))

  ;; 1 if any of the n values at p is ±Infinity or NaN (all exponent bits set), else 0
  (func (export "any_nonfinite") (param $p i32) (param $n i32) (result i32)
    (local $end i32) (local $acc v128)
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $acc
          (v128.or (local.get $acc)
            (i32x4.eq
              (v128.and (v128.load (local.get $p)) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))
              (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $next)))
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $acc
          (v128.or (local.get $acc)
            (i32x4.splat
              (i32.eq (i32.and (i32.load (local.get $p)) (i32.const 0x7f800000)) (i32.const 0x7f800000)))))
        (local.set $p (i32.add (local.get $p) (i32.const 4)))
        (br $next)))
    (v128.any_true (local.get $acc)))

;; The updates below take two values at a time as float64 lanes: v128.load64_zero +
  ;; f64x2.promote_low_f32x4 reads them, f32x4.demote_f64x2_zero + v128.store64_lane writes them
  ;; back (rounded once, as a Float32Array store does). n is even (vector.ts does an odd last
  ;; value itself).

  ;; SGD without momentum: p ← p − lr·(g + wd·p).
  (func (export "sgd") (param $p i32) (param $g i32) (param $n i32) (param $lr f64) (param $wd f64)
    (local $end i32) (local $P v128) (local $LR v128) (local $WD v128)
    (local.set $LR (f64x2.splat (local.get $lr)))
    (local.set $WD (f64x2.splat (local.get $wd)))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $P (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))))
        (v128.store64_lane 0 (local.get $p)
          (f32x4.demote_f64x2_zero
            (f64x2.sub (local.get $P)
              (f64x2.mul (local.get $LR)
                (f64x2.add
                  (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $g)))
                  (f64x2.mul (local.get $WD) (local.get $P)))))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (br $next))))

  ;; SGD with momentum μ: b ← g + wd·p on the first step, else μ·b + (g + wd·p);
  ;; p ← p − lr·b, with b as stored (float32).
  (func (export "sgd_momentum")
    (param $p i32) (param $g i32) (param $b i32) (param $n i32)
    (param $lr f64) (param $wd f64) (param $mu f64) (param $first i32)
    (local $end i32) (local $P v128) (local $B v128) (local $LR v128) (local $WD v128) (local $MU v128)
    (local.set $LR (f64x2.splat (local.get $lr)))
    (local.set $WD (f64x2.splat (local.get $wd)))
    (local.set $MU (f64x2.splat (local.get $mu)))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $P (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))))
        (local.set $B
          (f64x2.add
            (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $g)))
            (f64x2.mul (local.get $WD) (local.get $P))))
        (if (i32.eqz (local.get $first))
          (then
            (local.set $B
              (f64x2.add
                (f64x2.mul (local.get $MU) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $b))))
                (local.get $B)))))
        ;; b as stored: rounded to float32
        (local.set $B (f32x4.demote_f64x2_zero (local.get $B)))
        (v128.store64_lane 0 (local.get $b) (local.get $B))
        (v128.store64_lane 0 (local.get $p)
          (f32x4.demote_f64x2_zero
            (f64x2.sub (local.get $P)
              (f64x2.mul (local.get $LR) (f64x2.promote_low_f32x4 (local.get $B))))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br $next))))

  ;; Adam: g ← g + wd·p;  m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g·g;
  ;; p ← p − (step·m) / (√v / √bc₂ + ε), with m and v as stored (float32).
  (func (export "adam")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32)
    (param $wd f64) (param $b1 f64) (param $c1 f64) (param $b2 f64) (param $c2 f64)
    (param $step f64) (param $bc2sqrt f64) (param $eps f64)
    (local $end i32) (local $P v128) (local $G v128) (local $M v128) (local $V v128)
    (local $WD v128) (local $B1 v128) (local $C1 v128) (local $B2 v128) (local $C2 v128)
    (local $STEP v128) (local $BC2 v128) (local $EPS v128)
    (local.set $WD (f64x2.splat (local.get $wd)))
    (local.set $B1 (f64x2.splat (local.get $b1)))
    (local.set $C1 (f64x2.splat (local.get $c1)))
    (local.set $B2 (f64x2.splat (local.get $b2)))
    (local.set $C2 (f64x2.splat (local.get $c2)))
    (local.set $STEP (f64x2.splat (local.get $step)))
    (local.set $BC2 (f64x2.splat (local.get $bc2sqrt)))
    (local.set $EPS (f64x2.splat (local.get $eps)))
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $P (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p))))
        (local.set $G
          (f64x2.add
            (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $g)))
            (f64x2.mul (local.get $WD) (local.get $P))))
        ;; m and v as stored: rounded to float32
        (local.set $M
          (f32x4.demote_f64x2_zero
            (f64x2.add
              (f64x2.mul (local.get $B1) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $m))))
              (f64x2.mul (local.get $C1) (local.get $G)))))
        (local.set $V
          (f32x4.demote_f64x2_zero
            (f64x2.add
              (f64x2.mul (local.get $B2) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $v))))
              (f64x2.mul (f64x2.mul (local.get $C2) (local.get $G)) (local.get $G)))))
        (v128.store64_lane 0 (local.get $m) (local.get $M))
        (v128.store64_lane 0 (local.get $v) (local.get $V))
        (v128.store64_lane 0 (local.get $p)
          (f32x4.demote_f64x2_zero
            (f64x2.sub (local.get $P)
              (f64x2.div
                (f64x2.mul (local.get $STEP) (f64x2.promote_low_f32x4 (local.get $M)))
                (f64x2.add
                  (f64x2.div (f64x2.sqrt (f64x2.promote_low_f32x4 (local.get $V))) (local.get $BC2))
                  (local.get $EPS))))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (local.set $m (i32.add (local.get $m) (i32.const 8)))
        (local.set $v (i32.add (local.get $v) (i32.const 8)))
        (br $next))))
)
