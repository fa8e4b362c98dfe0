/** Calendar quarters for the report's shortcuts (suppliers report and publish per quarter). */
export interface Quarter {
  from: string;
  to: string;
  label: string;
}

const ROMAN = ['I', 'II', 'III', 'IV'];

function lastDay(year: number, month: number): string {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

export function quarter(year: number, q: number): Quarter {
  const first = (q - 1) * 3 + 1;
  return {
    from: `${year}-${String(first).padStart(2, '0')}-01`,
    to: lastDay(year, first + 2),
    label: `Trimestrul ${ROMAN[q - 1]} ${year}`,
  };
}

export function quarterOf(day: string): Quarter {
  return quarter(Number(day.slice(0, 4)), Math.floor((Number(day.slice(5, 7)) - 1) / 3) + 1);
}

/** The quarter of `today` and the `n - 1` before it, the latest first. */
export function quartersUpTo(today: string, n: number): Quarter[] {
  let year = Number(today.slice(0, 4));
  let q = Math.floor((Number(today.slice(5, 7)) - 1) / 3) + 1;
  const out: Quarter[] = [];
  for (let i = 0; i < n; i++) {
    out.push(quarter(year, q));
    q -= 1;
    if (q === 0) {
      q = 4;
      year -= 1;
    }
  }
  return out;
}
