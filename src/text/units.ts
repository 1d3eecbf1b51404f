/** Units and currencies: singular and plural spoken forms. */
export const UNITS: Record<string, [string, string]> = {
  'km/h': ['kilometer per hour', 'kilometers per hour'], kph: ['kilometer per hour', 'kilometers per hour'], mph: ['mile per hour', 'miles per hour'],
  'm/s²': ['meter per second squared', 'meters per second squared'], 'm/s^2': ['meter per second squared', 'meters per second squared'],
  'm/s': ['meter per second', 'meters per second'], 'km/s': ['kilometer per second', 'kilometers per second'],
  km: ['kilometer', 'kilometers'], cm: ['centimeter', 'centimeters'], mm: ['millimeter', 'millimeters'], nm: ['nanometer', 'nanometers'], µm: ['micrometer', 'micrometers'],
  m: ['meter', 'meters'], 'm²': ['square meter', 'square meters'], 'm2': ['square meter', 'square meters'], 'km²': ['square kilometer', 'square kilometers'],
  'cm²': ['square centimeter', 'square centimeters'], 'm³': ['cubic meter', 'cubic meters'], 'cm³': ['cubic centimeter', 'cubic centimeters'],
  kg: ['kilogram', 'kilograms'], g: ['gram', 'grams'], mg: ['milligram', 'milligrams'], µg: ['microgram', 'micrograms'], t: ['tonne', 'tonnes'],
  lb: ['pound', 'pounds'], lbs: ['pound', 'pounds'], oz: ['ounce', 'ounces'], ft: ['foot', 'feet'], mi: ['mile', 'miles'], yd: ['yard', 'yards'],
  l: ['liter', 'liters'], L: ['liter', 'liters'], ml: ['milliliter', 'milliliters'], mL: ['milliliter', 'milliliters'],
  ms: ['millisecond', 'milliseconds'], µs: ['microsecond', 'microseconds'], ns: ['nanosecond', 'nanoseconds'], s: ['second', 'seconds'], sec: ['second', 'seconds'],
  min: ['minute', 'minutes'], h: ['hour', 'hours'], hr: ['hour', 'hours'], hrs: ['hours', 'hours'],
  Hz: ['hertz', 'hertz'], kHz: ['kilohertz', 'kilohertz'], MHz: ['megahertz', 'megahertz'], GHz: ['gigahertz', 'gigahertz'],
  B: ['byte', 'bytes'], KB: ['kilobyte', 'kilobytes'], kB: ['kilobyte', 'kilobytes'], MB: ['megabyte', 'megabytes'], GB: ['gigabyte', 'gigabytes'], TB: ['terabyte', 'terabytes'],
  KiB: ['kibibyte', 'kibibytes'], MiB: ['mebibyte', 'mebibytes'], GiB: ['gibibyte', 'gibibytes'], Mbps: ['megabit per second', 'megabits per second'], Gbps: ['gigabit per second', 'gigabits per second'],
  W: ['watt', 'watts'], kW: ['kilowatt', 'kilowatts'], MW: ['megawatt', 'megawatts'], kWh: ['kilowatt hour', 'kilowatt hours'], V: ['volt', 'volts'], mA: ['milliamp', 'milliamps'], mAh: ['milliamp hour', 'milliamp hours'],
  N: ['newton', 'newtons'], Pa: ['pascal', 'pascals'], kPa: ['kilopascal', 'kilopascals'], J: ['joule', 'joules'], kJ: ['kilojoule', 'kilojoules'], cal: ['calorie', 'calories'], kcal: ['kilocalorie', 'kilocalories'],
  px: ['pixel', 'pixels'], fps: ['frame per second', 'frames per second'], dB: ['decibel', 'decibels'],
};

/** Unit keys, longest first, escaped for a regex alternation. */
export const UNIT_PATTERN = Object.keys(UNITS)
  .sort((a, b) => b.length - a.length)
  .map((u) => u.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
  .join('|');

export const CURRENCY: Record<string, [string, string, string, string]> = {
  // symbol: [unit, units, subunit, subunits]
  $: ['dollar', 'dollars', 'cent', 'cents'],
  '€': ['euro', 'euros', 'cent', 'cents'],
  '£': ['pound', 'pounds', 'penny', 'pence'],
  '¥': ['yen', 'yen', 'sen', 'sen'],
  '₹': ['rupee', 'rupees', 'paisa', 'paise'],
};

export const SCALE_SUFFIX: Record<string, string> = { k: 'thousand', K: 'thousand', m: 'million', M: 'million', mn: 'million', b: 'billion', B: 'billion', bn: 'billion', t: 'trillion', T: 'trillion', thousand: 'thousand', million: 'million', billion: 'billion', trillion: 'trillion' };
