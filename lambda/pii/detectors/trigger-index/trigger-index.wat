;; The trigger index: where, in one text, each character the detectors start from occurs, and where the
;; number windows start (NUMBER_WINDOW in triggers.ts). Found in one SIMD pass over the text instead of
;; one indexOf walk per character and a regex over the digits: in prompt text those searches stop tens of
;; thousands of times a megabyte, and each stop costs a call into the engine. The operators (`:` and `=`,
;; the commonest triggers) are then narrowed to those the operator walk can act on (filterOperators), and
;; the separators (`_`, `-`) to those a vendor's key can start at (extractSeparators).
;;
;; Compiled by `npm run build:wasm` (scripts/build-wasm.mjs) into trigger-index-wasm.ts; a test fails
;; when that file is not this source's build. The layout constants are shared with trigger-index.ts.
;;
;; Memory layout (byte addresses):
;;   0..31     in: the trigger characters (one byte each), set once by the caller; slots 0 and 1 hold the
;;             operators `:` and `=`, which filterOperators narrows, slots 2 and 3 the separators `_`
;;             and `-`, which extractSeparators narrows
;;   32..95    out: for each list k (0..7), its address (32 + 8k) and its length (36 + 8k)
;;   128..     in: WORD_ENDINGS (api-keys.ts), a byte per pair of ASCII codes (before * 128 + last), set
;;             once by the caller: 1 where the pair ends a vendor word
;;   16512..   the text as UTF-16 code units, padded with NUL to a multiple of 16
;;   then      12 bitmaps (7 triggers, digits, number-separator characters, hex digits, value characters,
;;             `/`), each one zero word, the text's bits (bit i of word w is code unit 64w + i), two zero
;;             words (the operator filter reads two words ahead)
;;   then      the lists: the indices where each wanted trigger occurs, ascending; list 7 holds the
;;             number windows, as start * 2 + (1 when the window is six characters long, else 0)
;; The caller grows the memory to hold text and bitmaps; the lists grow it themselves as they need.
(module
  (memory (export "memory") 1)

  (global $WORD_ENDINGS i32 (i32.const 128))
  (global $TEXT i32 (i32.const 16512))
  ;; A key's body reaches at least this far past its separator (MIN_AFTER_SEPARATOR, api-keys.ts).
  (global $MIN_AFTER_SEPARATOR i32 (i32.const 12))
  (global $TRIGGERS i32 (i32.const 7))
  (global $DIGITS i32 (i32.const 7))
  (global $NUMBER_CHARACTERS i32 (i32.const 8))
  (global $HEX_DIGITS i32 (i32.const 9))
  (global $VALUE_CHARACTERS i32 (i32.const 10))
  (global $SLASHES i32 (i32.const 11))
  (global $BITMAPS i32 (i32.const 12))
  (global $NUMBER_WINDOWS i32 (i32.const 7))

  ;; Bytes of one bitmap: ceil(n / 64) words, one zero word before them and two after.
  (func $bitmapBytes (param $n i32) (result i32)
    (i32.shl (i32.add (i32.shr_u (i32.add (local.get $n) (i32.const 63)) (i32.const 6)) (i32.const 3)) (i32.const 3)))

  ;; The first bitmap: right after the text, which is padded to 16 code units (32 bytes).
  (func $bitmapsStart (param $n i32) (result i32)
    (i32.add (global.get $TEXT) (i32.and (i32.add (i32.shl (local.get $n) (i32.const 1)) (i32.const 31)) (i32.const -32))))

  ;; Grows the memory to at least $end bytes.
  (func $reserve (param $end i32)
    (local $have i32)
    (local.set $have (i32.shl (memory.size) (i32.const 16)))
    (if (i32.gt_u (local.get $end) (local.get $have))
      (then (if (i32.eq (memory.grow (i32.shr_u (i32.add (i32.sub (local.get $end) (local.get $have)) (i32.const 65535)) (i32.const 16)))
                        (i32.const -1))
        (then unreachable)))))

  ;; Pass 1: sixteen code units at a time, narrowed to bytes (units above 255 read as 255, which is no
  ;; trigger, digit, separator or hex digit, and is a value character as every unit above 127 is), one
  ;; 16-bit mask per bitmap.
  (func $classify (param $n i32) (param $bitmaps i32) (param $stride i32)
    (local $blocks i32) (local $at i32) (local $end i32) (local $mask i32) (local $units v128)
    ;; Where bitmap k is from the first one: stride * k.
    (local $at1 i32) (local $at2 i32) (local $at3 i32) (local $at4 i32) (local $at5 i32) (local $at6 i32) (local $at7 i32) (local $at8 i32) (local $at9 i32) (local $at10 i32) (local $at11 i32)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128) (local $t4 v128) (local $t5 v128) (local $t6 v128)
    (local $digitBias v128) (local $digitLimit v128) (local $numberBias v128) (local $numberLimit v128) (local $space v128)
    (local $byteMax v128) (local $signBit v128)
    (local $digits v128) (local $caseBit v128) (local $hexBias v128) (local $hexLimit v128) (local $controlLimit v128)
    (local $parenthesis v128) (local $doubleQuote v128) (local $singleQuote v128) (local $backtick v128) (local $slash v128)
    (local.set $t0 (i8x16.splat (i32.load8_u offset=0 (i32.const 0))))
    (local.set $t1 (i8x16.splat (i32.load8_u offset=1 (i32.const 0))))
    (local.set $t2 (i8x16.splat (i32.load8_u offset=2 (i32.const 0))))
    (local.set $t3 (i8x16.splat (i32.load8_u offset=3 (i32.const 0))))
    (local.set $t4 (i8x16.splat (i32.load8_u offset=4 (i32.const 0))))
    (local.set $t5 (i8x16.splat (i32.load8_u offset=5 (i32.const 0))))
    (local.set $t6 (i8x16.splat (i32.load8_u offset=6 (i32.const 0))))
    ;; Ranges are tested as x - low <u count, written x + (128 - low) <s count - 128: x86 has no unsigned
    ;; byte comparison, so each lt_u would take three instructions where lt_s takes one.
    (local.set $signBit (i8x16.splat (i32.const 128)))
    (local.set $digitBias (i8x16.splat (i32.const 80)))
    (local.set $digitLimit (i8x16.splat (i32.const -118)))
    ;; `-` `.` `/` and the digits are the 13 codes from 45; with the space, the characters a number
    ;; window may hold between its first and last digit.
    (local.set $numberBias (i8x16.splat (i32.const 83)))
    (local.set $numberLimit (i8x16.splat (i32.const -115)))
    (local.set $space (i8x16.splat (i32.const 32)))
    (local.set $byteMax (i16x8.splat (i32.const 255)))
    ;; Hex digits: the digits, and the letters a-f in either case (setting 0x20 makes A-F a-f).
    (local.set $caseBit (i8x16.splat (i32.const 32)))
    (local.set $hexBias (i8x16.splat (i32.const 31)))
    (local.set $hexLimit (i8x16.splat (i32.const -122)))
    ;; What can be in a value (secret-assignment.ts, VALUE_BREAKS): no control character or space, `(`, or quote.
    (local.set $controlLimit (i8x16.splat (i32.const -95)))
    (local.set $parenthesis (i8x16.splat (i32.const 40)))
    (local.set $doubleQuote (i8x16.splat (i32.const 34)))
    (local.set $singleQuote (i8x16.splat (i32.const 39)))
    (local.set $backtick (i8x16.splat (i32.const 96)))
    (local.set $slash (i8x16.splat (i32.const 47)))
    (local.set $at1 (i32.mul (local.get $stride) (i32.const 1)))
    (local.set $at2 (i32.mul (local.get $stride) (i32.const 2)))
    (local.set $at3 (i32.mul (local.get $stride) (i32.const 3)))
    (local.set $at4 (i32.mul (local.get $stride) (i32.const 4)))
    (local.set $at5 (i32.mul (local.get $stride) (i32.const 5)))
    (local.set $at6 (i32.mul (local.get $stride) (i32.const 6)))
    (local.set $at7 (i32.mul (local.get $stride) (global.get $DIGITS)))
    (local.set $at8 (i32.mul (local.get $stride) (global.get $NUMBER_CHARACTERS)))
    (local.set $at9 (i32.mul (local.get $stride) (global.get $HEX_DIGITS)))
    (local.set $at10 (i32.mul (local.get $stride) (global.get $VALUE_CHARACTERS)))
    (local.set $at11 (i32.mul (local.get $stride) (global.get $SLASHES)))
    (local.set $blocks (i32.shr_u (i32.add (local.get $n) (i32.const 15)) (i32.const 4)))
    ;; NUL after the text, up to the end of its last block: no bit is set past the text. Two stores cover
    ;; the at most 15 units (memory.fill costs a call; a request's texts are mostly short). They may reach
    ;; into the first bitmap, which is written after.
    (v128.store (i32.add (global.get $TEXT) (i32.shl (local.get $n) (i32.const 1))) (v128.const i64x2 0 0))
    (v128.store offset=16 (i32.add (global.get $TEXT) (i32.shl (local.get $n) (i32.const 1))) (v128.const i64x2 0 0))
    (local.set $at (global.get $TEXT))
    (local.set $end (i32.add (global.get $TEXT) (i32.shl (local.get $blocks) (i32.const 5))))
    ;; $mask walks the first bitmap's data (after its zero word), two bytes per block.
    (local.set $mask (i32.add (local.get $bitmaps) (i32.const 8)))
    (block $done
      (loop $block
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $units (i8x16.narrow_i16x8_u
          (i16x8.min_u (v128.load (local.get $at)) (local.get $byteMax))
          (i16x8.min_u (v128.load offset=16 (local.get $at)) (local.get $byteMax))))
        (i32.store16 (local.get $mask) (i8x16.bitmask (i8x16.eq (local.get $units) (local.get $t0))))
        (i32.store16 (i32.add (local.get $mask) (local.get $at1)) (i8x16.bitmask (i8x16.eq (local.get $units) (local.get $t1))))
        (i32.store16 (i32.add (local.get $mask) (local.get $at2)) (i8x16.bitmask (i8x16.eq (local.get $units) (local.get $t2))))
        (i32.store16 (i32.add (local.get $mask) (local.get $at3)) (i8x16.bitmask (i8x16.eq (local.get $units) (local.get $t3))))
        (i32.store16 (i32.add (local.get $mask) (local.get $at4)) (i8x16.bitmask (i8x16.eq (local.get $units) (local.get $t4))))
        (i32.store16 (i32.add (local.get $mask) (local.get $at5)) (i8x16.bitmask (i8x16.eq (local.get $units) (local.get $t5))))
        (i32.store16 (i32.add (local.get $mask) (local.get $at6)) (i8x16.bitmask (i8x16.eq (local.get $units) (local.get $t6))))
        (local.set $digits (i8x16.lt_s (i8x16.add (local.get $units) (local.get $digitBias)) (local.get $digitLimit)))
        (i32.store16 (i32.add (local.get $mask) (local.get $at7)) (i8x16.bitmask (local.get $digits)))
        (i32.store16 (i32.add (local.get $mask) (local.get $at8))
          (i8x16.bitmask (v128.or
            (i8x16.lt_s (i8x16.add (local.get $units) (local.get $numberBias)) (local.get $numberLimit))
            (i8x16.eq (local.get $units) (local.get $space)))))
        (i32.store16 (i32.add (local.get $mask) (local.get $at9))
          (i8x16.bitmask (v128.or (local.get $digits)
            (i8x16.lt_s (i8x16.add (v128.or (local.get $units) (local.get $caseBit)) (local.get $hexBias)) (local.get $hexLimit)))))
        (i32.store16 (i32.add (local.get $mask) (local.get $at10))
          (i32.xor (i32.const 0xffff) (i8x16.bitmask (v128.or
            (v128.or (i8x16.lt_s (i8x16.add (local.get $units) (local.get $signBit)) (local.get $controlLimit)) (i8x16.eq (local.get $units) (local.get $parenthesis)))
            (v128.or (v128.or (i8x16.eq (local.get $units) (local.get $doubleQuote)) (i8x16.eq (local.get $units) (local.get $singleQuote)))
              (i8x16.eq (local.get $units) (local.get $backtick)))))))
        (i32.store16 (i32.add (local.get $mask) (local.get $at11))
          (i8x16.bitmask (i8x16.eq (local.get $units) (local.get $slash))))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (local.set $mask (i32.add (local.get $mask) (i32.const 2)))
        (br $block))))

  ;; Zeroes each bitmap's leading word and everything after its last written mask: at most 6 bytes of its
  ;; last word and the two words after, 22 bytes, which two stores cover.
  (func $zeroPadding (param $n i32) (param $bitmaps i32) (param $stride i32)
    (local $k i32) (local $base i32) (local $written i32)
    (local.set $written (i32.shl (i32.shr_u (i32.add (local.get $n) (i32.const 15)) (i32.const 4)) (i32.const 1)))
    (block $done
      (loop $bitmap
        (br_if $done (i32.ge_u (local.get $k) (global.get $BITMAPS)))
        (local.set $base (i32.add (local.get $bitmaps) (i32.mul (local.get $k) (local.get $stride))))
        (i64.store (local.get $base) (i64.const 0))
        (v128.store offset=8 (i32.add (local.get $base) (local.get $written)) (v128.const i64x2 0 0))
        (i64.store offset=24 (i32.add (local.get $base) (local.get $written)) (i64.const 0))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $bitmap))))

  ;; Appends the index of every set bit of the bitmap at $base to the list at $list; returns its end.
  (func $extract (param $base i32) (param $words i32) (param $list i32) (result i32)
    (local $word i32) (local $end i32) (local $bits i64) (local $index i32) (local $limit i32)
    (local.set $limit (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 256)))
    (local.set $word (i32.add (local.get $base) (i32.const 8)))
    (local.set $end (i32.add (local.get $word) (i32.shl (local.get $words) (i32.const 3))))
    (block $done
      (loop $words
        (br_if $done (i32.ge_u (local.get $word) (local.get $end)))
        (local.set $bits (i64.load (local.get $word)))
        (if (i64.ne (local.get $bits) (i64.const 0))
          (then
            ;; Room for a whole word's 64 entries, checked once a word.
            (if (i32.gt_u (local.get $list) (local.get $limit))
              (then
                (call $reserve (i32.add (local.get $list) (i32.const 65536)))
                (local.set $limit (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 256)))))
            (local.set $index (i32.shl (i32.sub (local.get $word) (i32.add (local.get $base) (i32.const 8))) (i32.const 3)))
            (loop $bit
              (i32.store (local.get $list) (i32.add (local.get $index) (i32.wrap_i64 (i64.ctz (local.get $bits)))))
              (local.set $list (i32.add (local.get $list) (i32.const 4)))
              (local.set $bits (i64.and (local.get $bits) (i64.sub (local.get $bits) (i64.const 1))))
              (br_if $bit (i64.ne (local.get $bits) (i64.const 0))))))
        (local.set $word (i32.add (local.get $word) (i32.const 8)))
        (br $words)))
    (local.get $list))

  ;; The code unit at $index of the $n-unit text, or 0 outside it (as codeAt reads it).
  (func $unitAt (param $index i32) (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $index) (local.get $n))
      (then (i32.load16_u (i32.add (global.get $TEXT) (i32.shl (local.get $index) (i32.const 1)))))
      (else (i32.const 0))))

  ;; Letters, digits, `_` and `-` (isTokenChar, chars.ts).
  (func $isTokenUnit (param $unit i32) (result i32)
    (i32.or
      (i32.or (i32.lt_u (i32.sub (local.get $unit) (i32.const 48)) (i32.const 10))
        (i32.lt_u (i32.sub (i32.or (local.get $unit) (i32.const 32)) (i32.const 97)) (i32.const 26)))
      (i32.or (i32.eq (local.get $unit) (i32.const 95)) (i32.eq (local.get $unit) (i32.const 45)))))

  ;; As extract, for a separator's bitmap: only the separators that separatorMayStartKey (api-keys.ts)
  ;; accepts: the two units before end a vendor word, and a token unit is MIN_AFTER_SEPARATOR after.
  ;; Code and prose hold thousands of `_` and `-` a megabyte, and almost none passes (1 in 75 in the bench mix).
  (func $extractSeparators (param $base i32) (param $words i32) (param $list i32) (param $n i32) (result i32)
    (local $word i32) (local $end i32) (local $bits i64) (local $index i32) (local $at i32) (local $last i32) (local $before i32)
    (local $limit i32)
    (local.set $limit (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 256)))
    (local.set $word (i32.add (local.get $base) (i32.const 8)))
    (local.set $end (i32.add (local.get $word) (i32.shl (local.get $words) (i32.const 3))))
    (block $done
      (loop $words
        (br_if $done (i32.ge_u (local.get $word) (local.get $end)))
        (local.set $bits (i64.load (local.get $word)))
        (if (i64.ne (local.get $bits) (i64.const 0))
          (then
            (if (i32.gt_u (local.get $list) (local.get $limit))
              (then
                (call $reserve (i32.add (local.get $list) (i32.const 65536)))
                (local.set $limit (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 256)))))
            (local.set $index (i32.shl (i32.sub (local.get $word) (i32.add (local.get $base) (i32.const 8))) (i32.const 3)))
            (loop $bit
              (local.set $at (i32.add (local.get $index) (i32.wrap_i64 (i64.ctz (local.get $bits)))))
              (local.set $last (call $unitAt (i32.sub (local.get $at) (i32.const 1)) (local.get $n)))
              (local.set $before (call $unitAt (i32.sub (local.get $at) (i32.const 2)) (local.get $n)))
              ;; Vendor words are ASCII; a unit before them above 127 reads as 0, as in mayEndVendorWord.
              (if (i32.lt_u (local.get $last) (i32.const 128))
                (then
                  (if (i32.ge_u (local.get $before) (i32.const 128)) (then (local.set $before (i32.const 0))))
                  (if (i32.and
                        (i32.load8_u (i32.add (global.get $WORD_ENDINGS) (i32.or (i32.shl (local.get $before) (i32.const 7)) (local.get $last))))
                        (call $isTokenUnit (call $unitAt (i32.add (local.get $at) (global.get $MIN_AFTER_SEPARATOR)) (local.get $n))))
                    (then
                      (i32.store (local.get $list) (local.get $at))
                      (local.set $list (i32.add (local.get $list) (i32.const 4)))))))
              (local.set $bits (i64.and (local.get $bits) (i64.sub (local.get $bits) (i64.const 1))))
              (br_if $bit (i64.ne (local.get $bits) (i64.const 0))))))
        (local.set $word (i32.add (local.get $word) (i32.const 8)))
        (br $words)))
    (local.get $list))

  ;; The number windows (number-window.ts): a digit, 3 or 4 digits or separators, a digit, where the
  ;; last five are not all digits unless the last seven are. Each word of 64 start positions is found
  ;; at once from the digit bitmap D and separator bitmap C, shifted so that bit s reads position s + k.
  (func $numberWindows (param $digits i32) (param $characters i32) (param $words i32) (param $list i32) (result i32)
    (local $w i32) (local $limit i32) (local $index i32) (local $s i64)
    (local $dPrev i64) (local $d i64) (local $dNext i64) (local $c i64) (local $cNext i64)
    (local $d1 i64) (local $d2 i64) (local $d3 i64) (local $d4 i64) (local $d5 i64) (local $dm1 i64) (local $dm2 i64)
    (local $c1 i64) (local $c2 i64) (local $c3 i64) (local $c4 i64)
    (local $run i64) (local $hexLimit i64) (local $five i64) (local $starts i64)
    (local.set $limit (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 256)))
    (local.set $d (i64.load offset=8 (local.get $digits)))
    (local.set $c (i64.load offset=8 (local.get $characters)))
    (block $done
      (loop $word
        (br_if $done (i32.ge_u (local.get $w) (local.get $words)))
        (local.set $dNext (i64.load offset=16 (i32.add (local.get $digits) (i32.shl (local.get $w) (i32.const 3)))))
        (local.set $cNext (i64.load offset=16 (i32.add (local.get $characters) (i32.shl (local.get $w) (i32.const 3)))))
        ;; A window starts at a digit: a word without one starts none.
        (if (i64.ne (local.get $d) (i64.const 0))
          (then
            (local.set $d1 (i64.or (i64.shr_u (local.get $d) (i64.const 1)) (i64.shl (local.get $dNext) (i64.const 63))))
            (local.set $d2 (i64.or (i64.shr_u (local.get $d) (i64.const 2)) (i64.shl (local.get $dNext) (i64.const 62))))
            (local.set $d3 (i64.or (i64.shr_u (local.get $d) (i64.const 3)) (i64.shl (local.get $dNext) (i64.const 61))))
            (local.set $d4 (i64.or (i64.shr_u (local.get $d) (i64.const 4)) (i64.shl (local.get $dNext) (i64.const 60))))
            (local.set $d5 (i64.or (i64.shr_u (local.get $d) (i64.const 5)) (i64.shl (local.get $dNext) (i64.const 59))))
            (local.set $dm1 (i64.or (i64.shl (local.get $d) (i64.const 1)) (i64.shr_u (local.get $dPrev) (i64.const 63))))
            (local.set $dm2 (i64.or (i64.shl (local.get $d) (i64.const 2)) (i64.shr_u (local.get $dPrev) (i64.const 62))))
            (local.set $c1 (i64.or (i64.shr_u (local.get $c) (i64.const 1)) (i64.shl (local.get $cNext) (i64.const 63))))
            (local.set $c2 (i64.or (i64.shr_u (local.get $c) (i64.const 2)) (i64.shl (local.get $cNext) (i64.const 62))))
            (local.set $c3 (i64.or (i64.shr_u (local.get $c) (i64.const 3)) (i64.shl (local.get $cNext) (i64.const 61))))
            (local.set $c4 (i64.or (i64.shr_u (local.get $c) (i64.const 4)) (i64.shl (local.get $cNext) (i64.const 60))))
            ;; Six long, ending at s + 6: its last five are s+1..s+5, its last seven s-1..s+5.
            (local.set $run (i64.and (i64.and (local.get $d1) (local.get $d2)) (i64.and (i64.and (local.get $d3) (local.get $d4)) (local.get $d5))))
            (local.set $hexLimit (i64.and
              (i64.and (i64.and (local.get $d) (local.get $d5)) (i64.and (i64.and (local.get $c1) (local.get $c2)) (i64.and (local.get $c3) (local.get $c4))))
              (i64.or (i64.xor (local.get $run) (i64.const -1)) (i64.and (local.get $dm1) (local.get $d)))))
            ;; Five long, ending at s + 5: its last five are s..s+4, its last seven s-2..s+4.
            (local.set $run (i64.and (i64.and (local.get $d) (local.get $d1)) (i64.and (i64.and (local.get $d2) (local.get $d3)) (local.get $d4))))
            (local.set $five (i64.and
              (i64.and (i64.and (local.get $d) (local.get $d4)) (i64.and (local.get $c1) (i64.and (local.get $c2) (local.get $c3))))
              (i64.or (i64.xor (local.get $run) (i64.const -1)) (i64.and (local.get $dm1) (local.get $dm2)))))
            (local.set $starts (i64.or (local.get $hexLimit) (local.get $five)))
            (if (i64.ne (local.get $starts) (i64.const 0))
              (then
                (if (i32.gt_u (local.get $list) (local.get $limit))
                  (then
                    (call $reserve (i32.add (local.get $list) (i32.const 65536)))
                    (local.set $limit (i32.sub (i32.shl (memory.size) (i32.const 16)) (i32.const 256)))))
                (local.set $index (i32.shl (local.get $w) (i32.const 6)))
                ;; The regex tries six characters before five: a start where both match is a six.
                (loop $bit
                  (local.set $s (i64.ctz (local.get $starts)))
                  (i32.store (local.get $list)
                    (i32.or
                      (i32.shl (i32.add (local.get $index) (i32.wrap_i64 (local.get $s))) (i32.const 1))
                      (i32.wrap_i64 (i64.and (i64.shr_u (local.get $hexLimit) (local.get $s)) (i64.const 1)))))
                  (local.set $list (i32.add (local.get $list) (i32.const 4)))
                  (local.set $starts (i64.and (local.get $starts) (i64.sub (local.get $starts) (i64.const 1))))
                  (br_if $bit (i64.ne (local.get $starts) (i64.const 0))))))))
        (local.set $dPrev (local.get $d))
        (local.set $d (local.get $dNext))
        (local.set $c (local.get $cNext))
        (local.set $w (i32.add (local.get $w) (i32.const 1)))
        (br $word)))
    (local.get $list))

  ;; Bit p set: the 16 code units from p are all value characters (MIN_SECRET_LENGTH, secret-values.ts).
  ;; From the bitmap's words $lo and $hi (the next): each step doubles the length of the runs known.
  (func $valueRuns (param $lo i64) (param $hi i64) (result i64)
    (local $hi2 i64) (local $hi4 i64) (local $hi8 i64)
    (local.set $hi2 (i64.and (local.get $hi) (i64.shr_u (local.get $hi) (i64.const 1))))
    (local.set $lo (i64.and (local.get $lo) (i64.or (i64.shr_u (local.get $lo) (i64.const 1)) (i64.shl (local.get $hi) (i64.const 63)))))
    (local.set $hi4 (i64.and (local.get $hi2) (i64.shr_u (local.get $hi2) (i64.const 2))))
    (local.set $lo (i64.and (local.get $lo) (i64.or (i64.shr_u (local.get $lo) (i64.const 2)) (i64.shl (local.get $hi2) (i64.const 62)))))
    (local.set $hi8 (i64.and (local.get $hi4) (i64.shr_u (local.get $hi4) (i64.const 4))))
    (local.set $lo (i64.and (local.get $lo) (i64.or (i64.shr_u (local.get $lo) (i64.const 4)) (i64.shl (local.get $hi4) (i64.const 60)))))
    (i64.and (local.get $lo) (i64.or (i64.shr_u (local.get $lo) (i64.const 8)) (i64.shl (local.get $hi8) (i64.const 56)))))

  ;; Bit p set: some bit of p+1 .. p+18 is set in the runs $lo, $hi (the next word): a value of 16
  ;; characters can start where valueFollows looks for one (after `>`, up to 7 spaces, `\`, a quote and an
  ;; 8-character auth scheme: at most 18 past the operator).
  (func $runWithin18 (param $lo i64) (param $hi i64) (result i64)
    (local.set $lo (i64.or (i64.shr_u (local.get $lo) (i64.const 1)) (i64.shl (local.get $hi) (i64.const 63))))
    (local.set $hi (i64.shr_u (local.get $hi) (i64.const 1)))
    (local.set $lo (i64.or (local.get $lo) (i64.or (i64.shr_u (local.get $lo) (i64.const 1)) (i64.shl (local.get $hi) (i64.const 63)))))
    (local.set $hi (i64.or (local.get $hi) (i64.shr_u (local.get $hi) (i64.const 1))))
    (local.set $lo (i64.or (local.get $lo) (i64.or (i64.shr_u (local.get $lo) (i64.const 2)) (i64.shl (local.get $hi) (i64.const 62)))))
    (local.set $hi (i64.or (local.get $hi) (i64.shr_u (local.get $hi) (i64.const 2))))
    (local.set $lo (i64.or (local.get $lo) (i64.or (i64.shr_u (local.get $lo) (i64.const 4)) (i64.shl (local.get $hi) (i64.const 60)))))
    (local.set $hi (i64.or (local.get $hi) (i64.shr_u (local.get $hi) (i64.const 4))))
    (local.set $lo (i64.or (local.get $lo) (i64.or (i64.shr_u (local.get $lo) (i64.const 8)) (i64.shl (local.get $hi) (i64.const 56)))))
    (local.set $hi (i64.or (local.get $hi) (i64.shr_u (local.get $hi) (i64.const 8))))
    (i64.or (local.get $lo) (i64.or (i64.shr_u (local.get $lo) (i64.const 2)) (i64.shl (local.get $hi) (i64.const 62)))))

  ;; Keeps, in the operators' bitmaps, only the operators the operator walk (operators.ts) acts on: a `:`
  ;; or `=` where a value could follow (a superset of valueFollows), a `:` that could be in an IPv6
  ;; address (couldBeInAddress: `::`, or between hex digits) or is a URL's (before `/`). Three in four
  ;; of the operators in the bench's prompt mix are none of these. A property test holds the index to
  ;; every operator the walk acts on.
  (func $filterOperators (param $bitmaps i32) (param $stride i32) (param $words i32)
    (local $w i32) (local $colons i32) (local $equals i32) (local $hex i32) (local $values i32) (local $slashes i32)
    (local $runs i64) (local $runsNext i64) (local $follows i64) (local $colonNext i64) (local $hexPrev i64) (local $hexWord i64)
    (local $hexNext i64) (local $address i64) (local $offset i32)
    (local.set $colons (i32.add (local.get $bitmaps) (i32.const 8)))
    (local.set $equals (i32.add (local.get $colons) (local.get $stride)))
    (local.set $hex (i32.add (local.get $colons) (i32.mul (local.get $stride) (global.get $HEX_DIGITS))))
    (local.set $values (i32.add (local.get $colons) (i32.mul (local.get $stride) (global.get $VALUE_CHARACTERS))))
    (local.set $slashes (i32.add (local.get $colons) (i32.mul (local.get $stride) (global.get $SLASHES))))
    (local.set $runs (call $valueRuns (i64.load (local.get $values)) (i64.load offset=8 (local.get $values))))
    (local.set $hexWord (i64.load (local.get $hex)))
    (block $done
      (loop $word
        (br_if $done (i32.ge_u (local.get $w) (local.get $words)))
        (local.set $offset (i32.shl (local.get $w) (i32.const 3)))
        (local.set $runsNext (call $valueRuns
          (i64.load offset=8 (i32.add (local.get $values) (local.get $offset)))
          (i64.load offset=16 (i32.add (local.get $values) (local.get $offset)))))
        (local.set $follows (call $runWithin18 (local.get $runs) (local.get $runsNext)))
        (local.set $hexNext (i64.load offset=8 (i32.add (local.get $hex) (local.get $offset))))
        ;; Before p a hex digit (bit p of the word shifted up) and after p one (shifted down).
        (local.set $address (i64.and
          (i64.or (i64.shl (local.get $hexWord) (i64.const 1)) (i64.shr_u (local.get $hexPrev) (i64.const 63)))
          (i64.or (i64.shr_u (local.get $hexWord) (i64.const 1)) (i64.shl (local.get $hexNext) (i64.const 63)))))
        (local.set $colonNext (i64.or
          (i64.shr_u (i64.load (i32.add (local.get $colons) (local.get $offset))) (i64.const 1))
          (i64.shl (i64.load offset=8 (i32.add (local.get $colons) (local.get $offset))) (i64.const 63))))
        (local.set $address (i64.or (i64.or (local.get $address) (local.get $colonNext))
          (i64.or
            (i64.shr_u (i64.load (i32.add (local.get $slashes) (local.get $offset))) (i64.const 1))
            (i64.shl (i64.load offset=8 (i32.add (local.get $slashes) (local.get $offset))) (i64.const 63)))))
        (i64.store (i32.add (local.get $colons) (local.get $offset))
          (i64.and (i64.load (i32.add (local.get $colons) (local.get $offset))) (i64.or (local.get $follows) (local.get $address))))
        (i64.store (i32.add (local.get $equals) (local.get $offset))
          (i64.and (i64.load (i32.add (local.get $equals) (local.get $offset))) (local.get $follows)))
        (local.set $runs (local.get $runsNext))
        (local.set $hexPrev (local.get $hexWord))
        (local.set $hexWord (local.get $hexNext))
        (local.set $w (i32.add (local.get $w) (i32.const 1)))
        (br $word))))

  ;; Indexes the $n code units at $TEXT: the lists whose bit is set in $wanted (bit k: list k) are
  ;; written; the others are left empty. Returns the memory's size in pages, which the lists may have grown.
  (func (export "index") (param $n i32) (param $wanted i32) (result i32)
    (local $bitmaps i32) (local $stride i32) (local $words i32) (local $list i32) (local $end i32) (local $k i32)
    (local.set $bitmaps (call $bitmapsStart (local.get $n)))
    (local.set $stride (call $bitmapBytes (local.get $n)))
    (local.set $words (i32.shr_u (i32.add (local.get $n) (i32.const 63)) (i32.const 6)))
    (call $classify (local.get $n) (local.get $bitmaps) (local.get $stride))
    (call $zeroPadding (local.get $n) (local.get $bitmaps) (local.get $stride))
    (if (i32.and (local.get $wanted) (i32.const 3))
      (then (call $filterOperators (local.get $bitmaps) (local.get $stride) (local.get $words))))
    (local.set $list (i32.add (local.get $bitmaps) (i32.mul (local.get $stride) (global.get $BITMAPS))))
    (block $done
      (loop $trigger
        (br_if $done (i32.ge_u (local.get $k) (global.get $TRIGGERS)))
        (local.set $end (local.get $list))
        (if (i32.and (local.get $wanted) (i32.shl (i32.const 1) (local.get $k)))
          (then (local.set $end (if (result i32) (i32.or (i32.eq (local.get $k) (i32.const 2)) (i32.eq (local.get $k) (i32.const 3)))
            (then (call $extractSeparators
              (i32.add (local.get $bitmaps) (i32.mul (local.get $k) (local.get $stride))) (local.get $words) (local.get $list) (local.get $n)))
            (else (call $extract
              (i32.add (local.get $bitmaps) (i32.mul (local.get $k) (local.get $stride))) (local.get $words) (local.get $list)))))))
        (i32.store offset=32 (i32.shl (local.get $k) (i32.const 3)) (local.get $list))
        (i32.store offset=36 (i32.shl (local.get $k) (i32.const 3)) (i32.shr_u (i32.sub (local.get $end) (local.get $list)) (i32.const 2)))
        (local.set $list (local.get $end))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $trigger)))
    (local.set $end (local.get $list))
    (if (i32.and (local.get $wanted) (i32.shl (i32.const 1) (global.get $NUMBER_WINDOWS)))
      (then (local.set $end (call $numberWindows
        (i32.add (local.get $bitmaps) (i32.mul (global.get $DIGITS) (local.get $stride)))
        (i32.add (local.get $bitmaps) (i32.mul (global.get $NUMBER_CHARACTERS) (local.get $stride)))
        (local.get $words) (local.get $list)))))
    (i32.store offset=32 (i32.shl (global.get $NUMBER_WINDOWS) (i32.const 3)) (local.get $list))
    (i32.store offset=36 (i32.shl (global.get $NUMBER_WINDOWS) (i32.const 3)) (i32.shr_u (i32.sub (local.get $end) (local.get $list)) (i32.const 2)))
    (memory.size))

  ;; Bytes the caller must make room for before writing $n code units: text and bitmaps.
  (func (export "bytesBeforeLists") (param $n i32) (result i32)
    (i32.add (call $bitmapsStart (local.get $n)) (i32.mul (call $bitmapBytes (local.get $n)) (global.get $BITMAPS))))
)
