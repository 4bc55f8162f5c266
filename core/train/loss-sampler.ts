/**
 * Keeps an evenly spaced sample of at most `capacity` values from a stream of unknown length,
 * without allocating per value: every value while there is room, then every second one (the
 * kept ones halved), every fourth … The training runner sends the batch losses between two
 * progress reports this way, so a short run's few reports still draw its batch-to-batch noise.
 */
export class LossSampler {
  private readonly kept: Float64Array;
  private count = 0;
  private stride = 1;
  private seen = 0;

  constructor(private readonly capacity = 32) {
    if (capacity < 2 || capacity % 2) throw new Error('capacity must be even and at least 2');
    this.kept = new Float64Array(capacity);
  }

  add(value: number): void {
    if (this.seen++ % this.stride !== 0) return;
    if (this.count === this.capacity) {
      for (let i = 0; i < this.capacity / 2; i++) this.kept[i] = this.kept[2 * i];
      this.count = this.capacity / 2;
      this.stride *= 2;
      if ((this.seen - 1) % this.stride !== 0) return;
    }
    this.kept[this.count++] = value;
  }

  /** The sample since the last take, oldest first; starts a new one. */
  take(): number[] {
    const out = Array.from(this.kept.subarray(0, this.count));
    this.count = 0;
    this.stride = 1;
    this.seen = 0;
    return out;
  }
}
