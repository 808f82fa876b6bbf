// The part of autocannon 8's programmatic API the benchmarks use (the package ships no types).
declare module 'autocannon' {
  export interface RequestParams {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string | Buffer
  }
  export interface Request extends RequestParams {
    setupRequest?: (req: RequestParams & { headers: Record<string, string> }, context: Record<string, unknown>) => RequestParams | null | undefined
  }
  export interface Options {
    url: string
    connections?: number
    duration?: number
    /** Requests to make in all (divided over the connections); overrides duration. */
    amount?: number
    pipelining?: number
    timeout?: number
    method?: string
    headers?: Record<string, string>
    requests?: Request[]
    title?: string
  }
  export interface Histogram {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    total: number
    p50: number
    p90: number
    p97_5: number
    p99: number
    p99_9: number
    totalCount?: number
    sent?: number
  }
  export interface Result {
    title?: string
    url: string
    connections: number
    duration: number
    start: Date
    finish: Date
    errors: number
    timeouts: number
    non2xx: number
    resets: number
    '2xx': number
    '4xx': number
    '5xx': number
    statusCodeStats: Record<string, { count: number }>
    latency: Histogram
    requests: Histogram
    throughput: Histogram
  }
  export interface Instance extends PromiseLike<Result> {
    on(event: string, listener: (...args: unknown[]) => void): this
    stop(): void
  }
  function autocannon(opts: Options): Instance
  export default autocannon
}
