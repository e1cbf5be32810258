/** The eight Insights types, clockwise around the wheel from the top. */
export const WHEEL_TYPES = ['Reformer', 'Director', 'Motivator', 'Inspirer', 'Helper', 'Supporter', 'Coordinator', 'Observer'] as const;
export type WheelType = (typeof WHEEL_TYPES)[number];

/**
 * Compass direction (degrees, counter-clockwise from east) of each energy on the wheel: blue top
 * left, red top right, yellow bottom right, green bottom left, so opposite energies
 * (red–green, blue–yellow) cancel.
 */
const ENERGY_ANGLES = [45, 135, 225, 315] as const;

/** Centre angle of each type's 45° sector, in WHEEL_TYPES order. */
const TYPE_ANGLES = [90, 45, 0, 315, 270, 225, 180, 135] as const;

/** Where a profile sits on the wheel. */
export interface WheelPosition {
  /** Degrees counter-clockwise from east, 0–360. */
  angle: number;
  /** How pronounced the profile is: 0 for four equal energies, 1 for a single pure energy. */
  radius: number;
  type: WheelType;
}

/**
 * Wheel position of a profile from its four energy percentages (red, blue, green, yellow): the
 * vector sum of the energies along their directions gives the angle, its length the radius.
 */
export function wheelPosition(red: number, blue: number, green: number, yellow: number): WheelPosition {
  const energies = [red, blue, green, yellow];
  let x = 0;
  let y = 0;
  energies.forEach((e, i) => {
    const radians = (ENERGY_ANGLES[i]! * Math.PI) / 180;
    x += e * Math.cos(radians);
    y += e * Math.sin(radians);
  });
  const total = red + blue + green + yellow;
  const radius = total > 0 ? Math.hypot(x, y) / total : 0;
  const angle = ((Math.atan2(y, x) * 180) / Math.PI + 360) % 360;
  return { angle, radius, type: wheelTypeAt(angle) };
}

/** The type whose 45° sector holds the angle. */
export function wheelTypeAt(angle: number): WheelType {
  let best = 0;
  let bestGap = Infinity;
  TYPE_ANGLES.forEach((centre, i) => {
    const gap = Math.abs(((angle - centre + 540) % 360) - 180);
    if (gap < bestGap) {
      bestGap = gap;
      best = i;
    }
  });
  return WHEEL_TYPES[best]!;
}
