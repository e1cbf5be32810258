/**
 * Peak resident set size of this process so far, in MB (10^6 bytes). Linux reports `maxRSS` in
 * kibibytes; it never goes down, so measure in a fresh process to attribute it to one run.
 */
export function peakRssMb(): number {
  return (process.resourceUsage().maxRSS * 1024) / 1e6;
}
