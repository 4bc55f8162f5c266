;; Matrix product with WebAssembly SIMD: C[m, n] = A[m, k] · B[k, n], row-major float32.
;; The caller pads m to a multiple of 4 and n to a multiple of 8 (with zeros), so the kernel
;; has no edge cases: each step keeps a 4×8 block of C in eight f32x4 registers and, for every
;; p, adds A[i..i+3, p] (broadcast) times B[p, j..j+7].
;; Assembled by scripts/build-wasm.mjs into gemm-wasm.ts (bytes, nothing fetched at run time),
;; twice: as written here, and with the memory declared shared (MEMORY below becomes
;; `(memory 1 16384 shared)`) so that two threads can run halves of one product in one memory.
(module
  (import "env" "memory" (memory 1 16384)) ;; MEMORY
  (func (export "gemm")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (local $i i32) (local $j i32) (local $p i32)
    (local $nb i32) (local $kb i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32)
    (local $bp i32) (local $cp i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $done_i
      (loop $loop_i
        (br_if $done_i (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $j (i32.const 0))
        (block $done_j
          (loop $loop_j
            (br_if $done_j (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $c00 (v128.const i32x4 0 0 0 0))
            (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0))
            (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c20 (v128.const i32x4 0 0 0 0))
            (local.set $c21 (v128.const i32x4 0 0 0 0))
            (local.set $c30 (v128.const i32x4 0 0 0 0))
            (local.set $c31 (v128.const i32x4 0 0 0 0))
            ;; a0..a3: rows i..i+3 of A; bp: B[0, j]
            (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $kb))))
            (local.set $a1 (i32.add (local.get $a0) (local.get $kb)))
            (local.set $a2 (i32.add (local.get $a1) (local.get $kb)))
            (local.set $a3 (i32.add (local.get $a2) (local.get $kb)))
            (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (i32.const 0))
            (block $done_p
              (loop $loop_p
                (br_if $done_p (i32.ge_u (local.get $p) (local.get $k)))
                (local.set $b0 (v128.load (local.get $bp)))
                (local.set $b1 (v128.load offset=16 (local.get $bp)))
                (local.set $x (f32x4.splat (f32.load (local.get $a0))))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (f32x4.splat (f32.load (local.get $a1))))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (f32x4.splat (f32.load (local.get $a2))))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (f32x4.splat (f32.load (local.get $a3))))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $a0 (i32.add (local.get $a0) (i32.const 4)))
                (local.set $a1 (i32.add (local.get $a1) (i32.const 4)))
                (local.set $a2 (i32.add (local.get $a2) (i32.const 4)))
                (local.set $a3 (i32.add (local.get $a3) (i32.const 4)))
                (local.set $bp (i32.add (local.get $bp) (local.get $nb)))
                (local.set $p (i32.add (local.get $p) (i32.const 1)))
                (br $loop_p)))
            ;; C[i..i+3, j..j+7]
            (local.set $cp
              (i32.add (local.get $c)
                (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
            (v128.store (local.get $cp) (local.get $c00))
            (v128.store offset=16 (local.get $cp) (local.get $c01))
            (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
            (v128.store (local.get $cp) (local.get $c10))
            (v128.store offset=16 (local.get $cp) (local.get $c11))
            (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
            (v128.store (local.get $cp) (local.get $c20))
            (v128.store offset=16 (local.get $cp) (local.get $c21))
            (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
            (v128.store (local.get $cp) (local.get $c30))
            (v128.store offset=16 (local.get $cp) (local.get $c31))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $loop_j)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $loop_i))))

  ;; Four dot products' partial sums (v0..v3, each four lanes) to one vector of their totals:
  ;; [Σv0, Σv1, Σv2, Σv3].
  (func $sums4 (param $v0 v128) (param $v1 v128) (param $v2 v128) (param $v3 v128) (result v128)
    (local $t0 v128) (local $t1 v128)
    ;; t0 = [v0₀+v0₂, v1₀+v1₂, v0₁+v0₃, v1₁+v1₃]
    (local.set $t0
      (f32x4.add
        (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v0) (local.get $v1))
        (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v0) (local.get $v1))))
    (local.set $t1
      (f32x4.add
        (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v2) (local.get $v3))
        (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v2) (local.get $v3))))
    ;; [Σv0, Σv1, Σv2, Σv3]
    (f32x4.add
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1))))

  ;; C[m, n] = A[m, k] · B[n, k]ᵀ (the dense layer's forward, x · Wᵀ), row-major float32, without
  ;; transposing B: each step takes rows i, i+1 of A against rows j..j+3 of B and keeps the eight
  ;; dot products' partial sums in eight f32x4 registers, four values of k at a time. The caller
  ;; pads m to a multiple of 2, n and k to multiples of 4 (with zeros).
  (func (export "gemm_nt")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (local $i i32) (local $j i32) (local $q i32) (local $kb i32) (local $nb i32)
    (local $a0 i32) (local $a1 i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $cp i32)
    (local $x0 v128) (local $x1 v128) (local $y v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $i (i32.const 0))
    (block $done_i
      (loop $loop_i
        (br_if $done_i (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $kb))))
        (local.set $a1 (i32.add (local.get $a0) (local.get $kb)))
        (local.set $j (i32.const 0))
        (block $done_j
          (loop $loop_j
            (br_if $done_j (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $kb))))
            (local.set $b1 (i32.add (local.get $b0) (local.get $kb)))
            (local.set $b2 (i32.add (local.get $b1) (local.get $kb)))
            (local.set $b3 (i32.add (local.get $b2) (local.get $kb)))
            (local.set $c00 (v128.const i32x4 0 0 0 0))
            (local.set $c01 (v128.const i32x4 0 0 0 0))
            (local.set $c02 (v128.const i32x4 0 0 0 0))
            (local.set $c03 (v128.const i32x4 0 0 0 0))
            (local.set $c10 (v128.const i32x4 0 0 0 0))
            (local.set $c11 (v128.const i32x4 0 0 0 0))
            (local.set $c12 (v128.const i32x4 0 0 0 0))
            (local.set $c13 (v128.const i32x4 0 0 0 0))
            (local.set $q (i32.const 0))
            (block $done_q
              (loop $loop_q
                (br_if $done_q (i32.ge_u (local.get $q) (local.get $kb)))
                (local.set $x0 (v128.load (i32.add (local.get $a0) (local.get $q))))
                (local.set $x1 (v128.load (i32.add (local.get $a1) (local.get $q))))
                (local.set $y (v128.load (i32.add (local.get $b0) (local.get $q))))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load (i32.add (local.get $b1) (local.get $q))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load (i32.add (local.get $b2) (local.get $q))))
                (local.set $c02 (f32x4.add (local.get $c02) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c12 (f32x4.add (local.get $c12) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.load (i32.add (local.get $b3) (local.get $q))))
                (local.set $c03 (f32x4.add (local.get $c03) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c13 (f32x4.add (local.get $c13) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $q (i32.add (local.get $q) (i32.const 16)))
                (br $loop_q)))
            ;; C[i, j..j+3] and C[i+1, j..j+3]
            (local.set $cp
              (i32.add (local.get $c)
                (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
            (v128.store (local.get $cp)
              (call $sums4 (local.get $c00) (local.get $c01) (local.get $c02) (local.get $c03)))
            (v128.store (i32.add (local.get $cp) (local.get $nb))
              (call $sums4 (local.get $c10) (local.get $c11) (local.get $c12) (local.get $c13)))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $loop_j)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $loop_i))))
)
