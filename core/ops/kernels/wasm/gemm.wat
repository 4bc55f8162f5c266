;; Matrix products with WebAssembly SIMD, row-major float32, on byte offsets into the memory.
;; Every entry computes rows i0 ≤ i < i1 of C (all of C: 0, m), so two threads can each take a
;; range of rows of one product (gemm-threads.ts); the rows of C never overlap, and every entry
;; of C is summed in the same order whoever computes it.
;;
;; Register blocking: V8 allocates 15 of x64's 16 vector registers to wasm (xmm15 is its
;; scratch). Node 20's TurboFan schedules all of a step's loads before its arithmetic, so a step
;; keeps its accumulators, its loaded operands and one product (mul + add) in at most 15
;; registers: 8 accumulators, 4 + 2 operands, 1 product; wider blocks spill to the stack inside
;; the loop and run at half the speed there. Chromium's newer V8 keeps twelve: for it the outer
;; product also has a 6 × 8 block ($outer6), which set_outer_rows turns on (outer-block.ts times
;; both where it trains and keeps the faster; every entry is summed in the same order in both).
;;
;; Written with f32x4.mul + f32x4.add ("plain" SIMD: the same bits on every machine).
;; scripts/build-wasm.mjs also assembles a "fast" variant in which every
;; `(f32x4.add (local.get $acc) (f32x4.mul X Y))` becomes `(f32x4.relaxed_madd X Y (local.get
;; $acc))`: a fused multiply-add where the machine has one (one rounding instead of two), so
;; that variant gives the same bits run after run on one machine, not across machines.
;; Each variant is assembled twice: as written, and with the memory declared shared (MEMORY
;; below becomes `(memory 1 16384 shared)`) so that two threads can work in one memory.
;;
;; Operands are read where they are (no packing, no padding): a block at the edge of C reads
;; up to 32 bytes past the end of an operand's last row, which the caller keeps readable, and
;; computes lanes it does not store.
(module
  (import "env" "memory" (memory 1 16384)) ;; MEMORY

  ;; gemm_nt transposes B (into $work) for k below this; wasm-gemm.ts reads it to size $work.
  (global $nt_transpose_below (export "nt_transpose_below") i32 (i32.const 64))

  ;; Stores the first `count` (1..3) lanes of v at p.
  (func $store_part (param $p i32) (param $v v128) (param $count i32)
    (f32.store (local.get $p) (f32x4.extract_lane 0 (local.get $v)))
    (if (i32.gt_u (local.get $count) (i32.const 1))
      (then (f32.store offset=4 (local.get $p) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.gt_u (local.get $count) (i32.const 2))
      (then (f32.store offset=8 (local.get $p) (f32x4.extract_lane 2 (local.get $v))))))

  ;; Stores the first `count` (≥ 1) of the eight lanes v0, v1 at p.
  (func $store_row8 (param $p i32) (param $v0 v128) (param $v1 v128) (param $count i32)
    (if (i32.ge_u (local.get $count) (i32.const 8))
      (then
        (v128.store (local.get $p) (local.get $v0))
        (v128.store offset=16 (local.get $p) (local.get $v1))
        (return)))
    (if (i32.lt_u (local.get $count) (i32.const 4))
      (then (call $store_part (local.get $p) (local.get $v0) (local.get $count)) (return)))
    (v128.store (local.get $p) (local.get $v0))
    (if (i32.gt_u (local.get $count) (i32.const 4))
      (then
        (call $store_part
          (i32.add (local.get $p) (i32.const 16)) (local.get $v1)
          (i32.sub (local.get $count) (i32.const 4))))))

  ;; C = A·B where A(i, p) is at a + i·sai + p·sap and B(p, j) at b + p·4n + 4j: the dense
  ;; layer's input gradient δ·W (A row-major: sai = 4k, sap = 4) and its weight gradient δᵀ·x
  ;; (A = δ as [k, m]: sai = 4, sap = 4m). Each block is 4 rows × 8 columns of C in eight
  ;; registers; each step p adds A(i..i+3, p) (each broadcast) times B(p, j..j+7), in order
  ;; p = 0, 1, …, k−1. Rows past i1 repeat the last row (computed, not stored).
  (func $outer
    (param $a i32) (param $sai i32) (param $sap i32) (param $b i32) (param $c i32)
    (param $m i32) (param $n i32) (param $k i32) (param $i0 i32) (param $i1 i32)
    (local $i i32) (local $j i32) (local $p i32) (local $nb i32) (local $cp i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $bp i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    ;; six rows or more in the 6 × 8 block, where set_outer_rows chose it
    (if (i32.and
          (i32.eq (global.get $outer_rows) (i32.const 6))
          (i32.ge_s (i32.sub (local.get $i1) (local.get $i0)) (i32.const 6)))
      (then
        (call $outer6_then4 (local.get $a) (local.get $sai) (local.get $sap) (local.get $b)
          (local.get $c) (local.get $m) (local.get $n) (local.get $k) (local.get $i0) (local.get $i1))
        (return)))
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $i (local.get $i0))
    (block $done_i
      (loop $loop_i
        (br_if $done_i (i32.ge_u (local.get $i) (local.get $i1)))
        ;; r0..r3: A's rows i..i+3, the last one repeated past i1
        (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))))
        (local.set $r1 (local.get $r0))
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $i1))
          (then (local.set $r1 (i32.add (local.get $r0) (local.get $sai)))))
        (local.set $r2 (local.get $r1))
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 2)) (local.get $i1))
          (then (local.set $r2 (i32.add (local.get $r1) (local.get $sai)))))
        (local.set $r3 (local.get $r2))
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 3)) (local.get $i1))
          (then (local.set $r3 (i32.add (local.get $r2) (local.get $sai)))))
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
            (local.set $a0 (local.get $r0))
            (local.set $a1 (local.get $r1))
            (local.set $a2 (local.get $r2))
            (local.set $a3 (local.get $r3))
            (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (local.get $k))
            (block $done_p
              (br_if $done_p (i32.eqz (local.get $p)))
              (loop $loop_p
                (local.set $b0 (v128.load (local.get $bp)))
                (local.set $b1 (v128.load offset=16 (local.get $bp)))
                (local.set $x (v128.load32_splat (local.get $a0)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (local.get $a1)))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (local.get $a2)))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (local.get $a3)))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $a0 (i32.add (local.get $a0) (local.get $sap)))
                (local.set $a1 (i32.add (local.get $a1) (local.get $sap)))
                (local.set $a2 (i32.add (local.get $a2) (local.get $sap)))
                (local.set $a3 (i32.add (local.get $a3) (local.get $sap)))
                (local.set $bp (i32.add (local.get $bp) (local.get $nb)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br_if $loop_p (local.get $p))))
            ;; C[i..i+3, j..j+7], the rows before i1 and the columns before n
            (local.set $cp
              (i32.add (local.get $c)
                (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
            (if (i32.and
                  (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $i1))
                  (i32.le_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
              (then ;; a whole block
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
                (v128.store offset=16 (local.get $cp) (local.get $c31)))
              (else
                (call $store_row8 (local.get $cp) (local.get $c00) (local.get $c01)
                  (i32.sub (local.get $n) (local.get $j)))
                (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $i1))
                  (then
                    (call $store_row8 (i32.add (local.get $cp) (local.get $nb)) (local.get $c10) (local.get $c11)
                      (i32.sub (local.get $n) (local.get $j)))))
                (if (i32.lt_u (i32.add (local.get $i) (i32.const 2)) (local.get $i1))
                  (then
                    (call $store_row8 (i32.add (local.get $cp) (i32.shl (local.get $nb) (i32.const 1)))
                      (local.get $c20) (local.get $c21) (i32.sub (local.get $n) (local.get $j)))))
                (if (i32.lt_u (i32.add (local.get $i) (i32.const 3)) (local.get $i1))
                  (then
                    (call $store_row8 (i32.add (local.get $cp) (i32.mul (local.get $nb) (i32.const 3)))
                      (local.get $c30) (local.get $c31) (i32.sub (local.get $n) (local.get $j)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $loop_j)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $loop_i))))

  ;; $outer with a 6 × 8 block: twelve accumulators, which only a register allocator that
  ;; keeps them all (Chromium's V8) runs faster than the 4 × 8 block; the same sums in the
  ;; same order (p = 0, 1, …, k−1 for every entry of C), so the same bits. outer-block.ts
  ;; times both blocks and keeps the faster (set_outer_rows); $outer hands its rows to
  ;; $outer6_then4 when six or more are asked for in that mode.
  (func $outer6
    (param $a i32) (param $sai i32) (param $sap i32) (param $b i32) (param $c i32)
    (param $m i32) (param $n i32) (param $k i32) (param $i0 i32) (param $i1 i32)
    (local $i i32) (local $j i32) (local $p i32) (local $nb i32) (local $cp i32) (local $r i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32) (local $r4 i32) (local $r5 i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $a4 i32) (local $a5 i32) (local $bp i32)
    (local $b0 v128) (local $b1 v128) (local $x v128)
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)
    (local $c40 v128) (local $c41 v128) (local $c50 v128) (local $c51 v128)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $i (local.get $i0))
    (block $done_i
      (loop $loop_i
        (br_if $done_i (i32.ge_u (local.get $i) (local.get $i1)))
        ;; r0..r5: A's rows i..i+5, the last one repeated past i1
        (local.set $r0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $sai))))
        (local.set $r1 (local.get $r0))
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $i1))
          (then (local.set $r1 (i32.add (local.get $r0) (local.get $sai)))))
        (local.set $r2 (local.get $r1))
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 2)) (local.get $i1))
          (then (local.set $r2 (i32.add (local.get $r1) (local.get $sai)))))
        (local.set $r3 (local.get $r2))
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 3)) (local.get $i1))
          (then (local.set $r3 (i32.add (local.get $r2) (local.get $sai)))))
        (local.set $r4 (local.get $r3))
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 4)) (local.get $i1))
          (then (local.set $r4 (i32.add (local.get $r3) (local.get $sai)))))
        (local.set $r5 (local.get $r4))
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 5)) (local.get $i1))
          (then (local.set $r5 (i32.add (local.get $r4) (local.get $sai)))))
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
            (local.set $c40 (v128.const i32x4 0 0 0 0))
            (local.set $c41 (v128.const i32x4 0 0 0 0))
            (local.set $c50 (v128.const i32x4 0 0 0 0))
            (local.set $c51 (v128.const i32x4 0 0 0 0))
            (local.set $a0 (local.get $r0))
            (local.set $a1 (local.get $r1))
            (local.set $a2 (local.get $r2))
            (local.set $a3 (local.get $r3))
            (local.set $a4 (local.get $r4))
            (local.set $a5 (local.get $r5))
            (local.set $bp (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $p (local.get $k))
            (block $done_p
              (br_if $done_p (i32.eqz (local.get $p)))
              (loop $loop_p
                (local.set $b0 (v128.load (local.get $bp)))
                (local.set $b1 (v128.load offset=16 (local.get $bp)))
                (local.set $x (v128.load32_splat (local.get $a0)))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (local.get $a1)))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (local.get $a2)))
                (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (local.get $a3)))
                (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (local.get $a4)))
                (local.set $c40 (f32x4.add (local.get $c40) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c41 (f32x4.add (local.get $c41) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $x (v128.load32_splat (local.get $a5)))
                (local.set $c50 (f32x4.add (local.get $c50) (f32x4.mul (local.get $x) (local.get $b0))))
                (local.set $c51 (f32x4.add (local.get $c51) (f32x4.mul (local.get $x) (local.get $b1))))
                (local.set $a0 (i32.add (local.get $a0) (local.get $sap)))
                (local.set $a1 (i32.add (local.get $a1) (local.get $sap)))
                (local.set $a2 (i32.add (local.get $a2) (local.get $sap)))
                (local.set $a3 (i32.add (local.get $a3) (local.get $sap)))
                (local.set $a4 (i32.add (local.get $a4) (local.get $sap)))
                (local.set $a5 (i32.add (local.get $a5) (local.get $sap)))
                (local.set $bp (i32.add (local.get $bp) (local.get $nb)))
                (local.set $p (i32.sub (local.get $p) (i32.const 1)))
                (br_if $loop_p (local.get $p))))
            ;; C[i..i+5, j..j+7], the rows before i1 and the columns before n
            (local.set $cp
              (i32.add (local.get $c)
                (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
            (if (i32.and
                  (i32.le_u (i32.add (local.get $i) (i32.const 6)) (local.get $i1))
                  (i32.le_u (i32.add (local.get $j) (i32.const 8)) (local.get $n)))
              (then ;; a whole block
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
                (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
                (v128.store (local.get $cp) (local.get $c40))
                (v128.store offset=16 (local.get $cp) (local.get $c41))
                (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
                (v128.store (local.get $cp) (local.get $c50))
                (v128.store offset=16 (local.get $cp) (local.get $c51)))
              (else ;; row by row, the rows before i1 (r of them)
                (block $stored
                (local.set $r (i32.sub (local.get $i1) (local.get $i)))
                (call $store_row8 (local.get $cp) (local.get $c00) (local.get $c01) (i32.sub (local.get $n) (local.get $j)))
                (br_if $stored (i32.le_u (local.get $r) (i32.const 1)))
                (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
                (call $store_row8 (local.get $cp) (local.get $c10) (local.get $c11) (i32.sub (local.get $n) (local.get $j)))
                (br_if $stored (i32.le_u (local.get $r) (i32.const 2)))
                (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
                (call $store_row8 (local.get $cp) (local.get $c20) (local.get $c21) (i32.sub (local.get $n) (local.get $j)))
                (br_if $stored (i32.le_u (local.get $r) (i32.const 3)))
                (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
                (call $store_row8 (local.get $cp) (local.get $c30) (local.get $c31) (i32.sub (local.get $n) (local.get $j)))
                (br_if $stored (i32.le_u (local.get $r) (i32.const 4)))
                (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
                (call $store_row8 (local.get $cp) (local.get $c40) (local.get $c41) (i32.sub (local.get $n) (local.get $j)))
                (br_if $stored (i32.le_u (local.get $r) (i32.const 5)))
                (local.set $cp (i32.add (local.get $cp) (local.get $nb)))
                (call $store_row8 (local.get $cp) (local.get $c50) (local.get $c51) (i32.sub (local.get $n) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 8)))
            (br $loop_j)))
        (local.set $i (i32.add (local.get $i) (i32.const 6)))
        (br $loop_i))))


  ;; The rows of the outer-product block, 4 ($outer) or 6 ($outer6): both give the same bits.
  (global $outer_rows (mut i32) (i32.const 4))
  (func (export "set_outer_rows") (param $rows i32)
    (global.set $outer_rows (select (i32.const 6) (i32.const 4) (i32.eq (local.get $rows) (i32.const 6)))))

  ;; Rows i0..i1 (six or more) in 6-row blocks while six are left, the last 1..5 rows in $outer's
  ;; 4-row blocks (so a 16-row chunk is 6 + 6 + 4 rows, none computed twice).
  (func $outer6_then4
    (param $a i32) (param $sai i32) (param $sap i32) (param $b i32) (param $c i32)
    (param $m i32) (param $n i32) (param $k i32) (param $i0 i32) (param $i1 i32)
    (local $i6 i32)
    (local.set $i6
      (i32.add (local.get $i0)
        (i32.mul (i32.div_u (i32.sub (local.get $i1) (local.get $i0)) (i32.const 6)) (i32.const 6))))
    (call $outer6 (local.get $a) (local.get $sai) (local.get $sap) (local.get $b) (local.get $c)
      (local.get $m) (local.get $n) (local.get $k) (local.get $i0) (local.get $i6))
    (if (i32.lt_u (local.get $i6) (local.get $i1))
      (then
        (call $outer (local.get $a) (local.get $sai) (local.get $sap) (local.get $b) (local.get $c)
          (local.get $m) (local.get $n) (local.get $k) (local.get $i6) (local.get $i1)))))

  ;; C[m, n] = A[m, k] · B[k, n] (the dense layer's input gradient, δ · W). ($work: unused.)
  (func (export "gemm_nn")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (param $i0 i32) (param $i1 i32) (param $work i32)
    (call $outer (local.get $a) (i32.shl (local.get $k) (i32.const 2)) (i32.const 4)
      (local.get $b) (local.get $c) (local.get $m) (local.get $n) (local.get $k)
      (local.get $i0) (local.get $i1)))

  ;; C[m, n] = A[k, m]ᵀ · B[k, n] (the dense layer's weight gradient, δᵀ · x). ($work: unused.)
  (func (export "gemm_tn")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (param $i0 i32) (param $i1 i32) (param $work i32)
    (call $outer (local.get $a) (i32.const 4) (i32.shl (local.get $m) (i32.const 2))
      (local.get $b) (local.get $c) (local.get $m) (local.get $n) (local.get $k)
      (local.get $i0) (local.get $i1)))

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

  ;; C[m, n] = A[m, k] · B[n, k]ᵀ (the dense layer's forward, x · Wᵀ) without transposing B:
  ;; each block takes rows i, i+1 of A against rows j..j+3 of B and keeps the eight dot
  ;; products' partial sums in eight registers, four values of k at a time (lane l sums the
  ;; p ≡ l mod 4); $sums4 adds the lanes. The last k mod 4 values are loaded masked (the lanes
  ;; past k of both operands are zeroed). Rows of A past i1 and of B past n repeat the last.
  (func $dots
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (param $i0 i32) (param $i1 i32)
    (local $i i32) (local $j i32) (local $q i32) (local $kb i32) (local $kfull i32) (local $nb i32)
    (local $a0 i32) (local $a1 i32) (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32)
    (local $cp i32) (local $mask v128) (local $r0 v128) (local $r1 v128)
    (local $x0 v128) (local $x1 v128) (local $y v128)
    (local $c00 v128) (local $c01 v128) (local $c02 v128) (local $c03 v128)
    (local $c10 v128) (local $c11 v128) (local $c12 v128) (local $c13 v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    (local.set $kfull (i32.and (local.get $kb) (i32.const -16)))
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    ;; lanes l < k mod 4 all ones, the others zero
    (local.set $mask
      (i32x4.lt_u (v128.const i32x4 0 1 2 3) (i32x4.splat (i32.and (local.get $k) (i32.const 3)))))
    (local.set $i (local.get $i0))
    (block $done_i
      (loop $loop_i
        (br_if $done_i (i32.ge_u (local.get $i) (local.get $i1)))
        (local.set $a0 (i32.add (local.get $a) (i32.mul (local.get $i) (local.get $kb))))
        (local.set $a1 (local.get $a0))
        (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $i1))
          (then (local.set $a1 (i32.add (local.get $a0) (local.get $kb)))))
        (local.set $j (i32.const 0))
        (block $done_j
          (loop $loop_j
            (br_if $done_j (i32.ge_u (local.get $j) (local.get $n)))
            (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $j) (local.get $kb))))
            (local.set $b1 (local.get $b0))
            (if (i32.lt_u (i32.add (local.get $j) (i32.const 1)) (local.get $n))
              (then (local.set $b1 (i32.add (local.get $b0) (local.get $kb)))))
            (local.set $b2 (local.get $b1))
            (if (i32.lt_u (i32.add (local.get $j) (i32.const 2)) (local.get $n))
              (then (local.set $b2 (i32.add (local.get $b1) (local.get $kb)))))
            (local.set $b3 (local.get $b2))
            (if (i32.lt_u (i32.add (local.get $j) (i32.const 3)) (local.get $n))
              (then (local.set $b3 (i32.add (local.get $b2) (local.get $kb)))))
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
              (br_if $done_q (i32.eqz (local.get $kfull)))
              (loop $loop_q
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
                (br_if $loop_q (i32.lt_u (local.get $q) (local.get $kfull)))))
            ;; the last k mod 4 values, masked
            (if (i32.lt_u (local.get $q) (local.get $kb))
              (then
                (local.set $x0 (v128.and (local.get $mask) (v128.load (i32.add (local.get $a0) (local.get $q)))))
                (local.set $x1 (v128.and (local.get $mask) (v128.load (i32.add (local.get $a1) (local.get $q)))))
                (local.set $y (v128.and (local.get $mask) (v128.load (i32.add (local.get $b0) (local.get $q)))))
                (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.and (local.get $mask) (v128.load (i32.add (local.get $b1) (local.get $q)))))
                (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.and (local.get $mask) (v128.load (i32.add (local.get $b2) (local.get $q)))))
                (local.set $c02 (f32x4.add (local.get $c02) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c12 (f32x4.add (local.get $c12) (f32x4.mul (local.get $x1) (local.get $y))))
                (local.set $y (v128.and (local.get $mask) (v128.load (i32.add (local.get $b3) (local.get $q)))))
                (local.set $c03 (f32x4.add (local.get $c03) (f32x4.mul (local.get $x0) (local.get $y))))
                (local.set $c13 (f32x4.add (local.get $c13) (f32x4.mul (local.get $x1) (local.get $y))))))
            ;; C[i, j..j+3] and C[i+1, j..j+3], the columns before n
            (local.set $r0 (call $sums4 (local.get $c00) (local.get $c01) (local.get $c02) (local.get $c03)))
            (local.set $r1 (call $sums4 (local.get $c10) (local.get $c11) (local.get $c12) (local.get $c13)))
            (local.set $cp
              (i32.add (local.get $c)
                (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 2))))
            (if (i32.le_u (i32.add (local.get $j) (i32.const 4)) (local.get $n))
              (then
                (v128.store (local.get $cp) (local.get $r0))
                (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $i1))
                  (then (v128.store (i32.add (local.get $cp) (local.get $nb)) (local.get $r1)))))
              (else
                (call $store_part (local.get $cp) (local.get $r0) (i32.sub (local.get $n) (local.get $j)))
                (if (i32.lt_u (i32.add (local.get $i) (i32.const 1)) (local.get $i1))
                  (then
                    (call $store_part (i32.add (local.get $cp) (local.get $nb)) (local.get $r1)
                      (i32.sub (local.get $n) (local.get $j)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 4)))
            (br $loop_j)))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $loop_i))))
;; Bᵀ: the [n, k] matrix at b as [k, n] at t, in 4×4 tiles (eight shuffles a tile), the
  ;; edges value by value.
  (func $transpose (param $b i32) (param $t i32) (param $n i32) (param $k i32)
    (local $j i32) (local $p i32) (local $kb i32) (local $nb i32) (local $s i32) (local $d i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (local.set $j (i32.const 0))
    (block $done_j
      (loop $loop_j
        (br_if $done_j (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $n)))
        (local.set $p (i32.const 0))
        (block $done_p
          (loop $loop_p
            (br_if $done_p (i32.gt_u (i32.add (local.get $p) (i32.const 4)) (local.get $k)))
            ;; rows j..j+3 of B, values p..p+3
            (local.set $s
              (i32.add (local.get $b)
                (i32.shl (i32.add (i32.mul (local.get $j) (local.get $k)) (local.get $p)) (i32.const 2))))
            (local.set $r0 (v128.load (local.get $s)))
            (local.set $r1 (v128.load (i32.add (local.get $s) (local.get $kb))))
            (local.set $r2 (v128.load (i32.add (local.get $s) (i32.shl (local.get $kb) (i32.const 1)))))
            (local.set $r3 (v128.load (i32.add (local.get $s) (i32.mul (local.get $kb) (i32.const 3)))))
            ;; t0 = [r0₀ r1₀ r0₁ r1₁], t1 = [r0₂ r1₂ r0₃ r1₃], t2, t3 the same of r2, r3
            (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
            (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
            (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
            (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
            ;; Bᵀ rows p..p+3, columns j..j+3
            (local.set $d
              (i32.add (local.get $t)
                (i32.shl (i32.add (i32.mul (local.get $p) (local.get $n)) (local.get $j)) (i32.const 2))))
            (v128.store (local.get $d)
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $d) (local.get $nb))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
            (v128.store (i32.add (local.get $d) (i32.shl (local.get $nb) (i32.const 1)))
              (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
            (v128.store (i32.add (local.get $d) (i32.mul (local.get $nb) (i32.const 3)))
              (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (br $loop_p)))
        ;; the last k mod 4 values of rows j..j+3
        (block $done_e
          (loop $loop_e
            (br_if $done_e (i32.ge_u (local.get $p) (local.get $k)))
            (call $copy4 (local.get $b) (local.get $t) (local.get $j) (local.get $p) (local.get $n) (local.get $k))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $loop_e)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $loop_j)))
    ;; the last n mod 4 rows, value by value
    (block $done_r
      (loop $loop_r
        (br_if $done_r (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $p (i32.const 0))
        (block $done_p
          (loop $loop_p
            (br_if $done_p (i32.ge_u (local.get $p) (local.get $k)))
            (f32.store
              (i32.add (local.get $t)
                (i32.shl (i32.add (i32.mul (local.get $p) (local.get $n)) (local.get $j)) (i32.const 2)))
              (f32.load
                (i32.add (local.get $b)
                  (i32.shl (i32.add (i32.mul (local.get $j) (local.get $k)) (local.get $p)) (i32.const 2)))))
            (local.set $p (i32.add (local.get $p) (i32.const 1)))
            (br $loop_p)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $loop_r))))

  ;; Bᵀ[p, j..j+3] = B[j..j+3, p]
  (func $copy4 (param $b i32) (param $t i32) (param $j i32) (param $p i32) (param $n i32) (param $k i32)
    (local $s i32) (local $d i32) (local $kb i32)
    (local.set $kb (i32.shl (local.get $k) (i32.const 2)))
    (local.set $s
      (i32.add (local.get $b)
        (i32.shl (i32.add (i32.mul (local.get $j) (local.get $k)) (local.get $p)) (i32.const 2))))
    (local.set $d
      (i32.add (local.get $t)
        (i32.shl (i32.add (i32.mul (local.get $p) (local.get $n)) (local.get $j)) (i32.const 2))))
    (f32.store (local.get $d) (f32.load (local.get $s)))
    (f32.store offset=4 (local.get $d) (f32.load (i32.add (local.get $s) (local.get $kb))))
    (f32.store offset=8 (local.get $d)
      (f32.load (i32.add (local.get $s) (i32.shl (local.get $kb) (i32.const 1)))))
    (f32.store offset=12 (local.get $d)
      (f32.load (i32.add (local.get $s) (i32.mul (local.get $kb) (i32.const 3))))))

  ;; C[m, n] = A[m, k] · B[n, k]ᵀ (the dense layer's forward, x · Wᵀ). Short dot products (k
  ;; below $nt_transpose_below) would spend most of their time adding lanes: there B is transposed into $work
  ;; ([k, n], readable for 32 bytes past its end) and the 4×8 block runs on A · Bᵀ; longer ones
  ;; run as dot products, B as it is.
  (func (export "gemm_nt")
    (param $a i32) (param $b i32) (param $c i32) (param $m i32) (param $n i32) (param $k i32)
    (param $i0 i32) (param $i1 i32) (param $work i32)
    (if (i32.lt_u (local.get $k) (global.get $nt_transpose_below))
      (then
        (call $transpose (local.get $b) (local.get $work) (local.get $n) (local.get $k))
        (call $outer (local.get $a) (i32.shl (local.get $k) (i32.const 2)) (i32.const 4)
          (local.get $work) (local.get $c) (local.get $m) (local.get $n) (local.get $k)
          (local.get $i0) (local.get $i1))
        (return)))
    (call $dots (local.get $a) (local.get $b) (local.get $c) (local.get $m) (local.get $n)
      (local.get $k) (local.get $i0) (local.get $i1)))
)
