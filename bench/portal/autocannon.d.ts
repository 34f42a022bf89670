/** The part of autocannon's programmatic API the portal benchmark uses (the package ships no types). */
declare module 'autocannon' {
  interface Histogram {
    average: number;
    p50: number;
    p99: number;
  }
  interface Result {
    requests: Histogram & { total: number };
    latency: Histogram;
    non2xx: number;
    errors: number;
    timeouts: number;
  }
  function autocannon(options: {
    url: string;
    connections?: number;
    duration?: number;
    headers?: Record<string, string>;
    /** Requests per second over all connections. */
    overallRate?: number;
    requests?: {
      setupRequest?: (
        req: { path?: string; headers?: Record<string, string> },
        context: Record<string, unknown>,
      ) => { path?: string; headers?: Record<string, string> };
      onResponse?: (
        status: number,
        body: string,
        context: Record<string, unknown>,
        headers?: Record<string, string>,
      ) => void;
    }[];
  }): Promise<Result>;
  export default autocannon;
}
