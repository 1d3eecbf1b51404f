/** Units and currencies: singular and plural spoken forms. */
export const UNITS: Record<string, [string, string]> = {
  'km/h': ['kilometer per hour', 'kilometers per hour'], kph: ['kilometer per hour', 'kilometers per hour'], 'km/hr': ['kilometer per hour', 'kilometers per hour'],
  mph: ['mile per hour', 'miles per hour'], 'm/s²': ['meter per second squared', 'meters per second squared'], 'm/s^2': ['meter per second squared', 'meters per second squared'],
  km: ['kilometer', 'kilometers'], cm: ['centimeter', 'centimeters'], mm: ['millimeter', 'millimeters'], nm: ['nanometer', 'nanometers'], µm: ['micrometer', 'micrometers'], μm: ['micrometer', 'micrometers'],
  m: ['meter', 'meters'], 'm²': ['square meter', 'square meters'], m2: ['square meter', 'square meters'], 'km²': ['square kilometer', 'square kilometers'], km2: ['square kilometer', 'square kilometers'],
  'cm²': ['square centimeter', 'square centimeters'], 'mm²': ['square millimeter', 'square millimeters'], 'm³': ['cubic meter', 'cubic meters'], m3: ['cubic meter', 'cubic meters'],
  'cm³': ['cubic centimeter', 'cubic centimeters'], 'km³': ['cubic kilometer', 'cubic kilometers'], 'dm³': ['cubic decimeter', 'cubic decimeters'], 'ft²': ['square foot', 'square feet'], 'sq ft': ['square foot', 'square feet'], 'sq. ft.': ['square foot', 'square feet'], 'sq. ft': ['square foot', 'square feet'], 'sq ft.': ['square foot', 'square feet'], 'sq. mi.': ['square mile', 'square miles'], 'in.': ['inch', 'inches'], ppm: ['part per million', 'parts per million'], ppb: ['part per billion', 'parts per billion'], sqft: ['square foot', 'square feet'],
  'mi²': ['square mile', 'square miles'], 'sq mi': ['square mile', 'square miles'], ha: ['hectare', 'hectares'],
  kg: ['kilogram', 'kilograms'], g: ['gram', 'grams'], mg: ['milligram', 'milligrams'], µg: ['microgram', 'micrograms'], μg: ['microgram', 'micrograms'], mcg: ['microgram', 'micrograms'], t: ['tonne', 'tonnes'],
  lb: ['pound', 'pounds'], lbs: ['pound', 'pounds'], oz: ['ounce', 'ounces'], 'fl oz': ['fluid ounce', 'fluid ounces'], ft: ['foot', 'feet'], mi: ['mile', 'miles'], yd: ['yard', 'yards'], yds: ['yard', 'yards'],
  l: ['liter', 'liters'], L: ['liter', 'liters'], ml: ['milliliter', 'milliliters'], mL: ['milliliter', 'milliliters'], cl: ['centiliter', 'centiliters'], dl: ['deciliter', 'deciliters'], kl: ['kiloliter', 'kiloliters'],
  gal: ['gallon', 'gallons'], qt: ['quart', 'quarts'], pt: ['pint', 'pints'], cup: ['cup', 'cups'], cups: ['cup', 'cups'],
  tsp: ['teaspoon', 'teaspoons'], tbsp: ['tablespoon', 'tablespoons'], Tbsp: ['tablespoon', 'tablespoons'], tbs: ['tablespoon', 'tablespoons'],
  ms: ['millisecond', 'milliseconds'], µs: ['microsecond', 'microseconds'], μs: ['microsecond', 'microseconds'], ns: ['nanosecond', 'nanoseconds'], s: ['second', 'seconds'], sec: ['second', 'seconds'], secs: ['second', 'seconds'],
  min: ['minute', 'minutes'], mins: ['minute', 'minutes'], h: ['hour', 'hours'], hr: ['hour', 'hours'], hrs: ['hour', 'hours'], wk: ['week', 'weeks'], yr: ['year', 'years'], yrs: ['year', 'years'],
  Hz: ['hertz', 'hertz'], kHz: ['kilohertz', 'kilohertz'], MHz: ['megahertz', 'megahertz'], GHz: ['gigahertz', 'gigahertz'],
  B: ['byte', 'bytes'], KB: ['kilobyte', 'kilobytes'], kB: ['kilobyte', 'kilobytes'], MB: ['megabyte', 'megabytes'], GB: ['gigabyte', 'gigabytes'], TB: ['terabyte', 'terabytes'], PB: ['petabyte', 'petabytes'],
  KiB: ['kibibyte', 'kibibytes'], MiB: ['mebibyte', 'mebibytes'], GiB: ['gibibyte', 'gibibytes'], TiB: ['tebibyte', 'tebibytes'],
  kbps: ['kilobit per second', 'kilobits per second'], Kbps: ['kilobit per second', 'kilobits per second'], Mbps: ['megabit per second', 'megabits per second'], Gbps: ['gigabit per second', 'gigabits per second'], Mb: ['megabit', 'megabits'], Gb: ['gigabit', 'gigabits'],
  W: ['watt', 'watts'], kW: ['kilowatt', 'kilowatts'], MW: ['megawatt', 'megawatts'], GW: ['gigawatt', 'gigawatts'], mW: ['milliwatt', 'milliwatts'], kWh: ['kilowatt hour', 'kilowatt hours'], MWh: ['megawatt hour', 'megawatt hours'], Wh: ['watt hour', 'watt hours'],
  V: ['volt', 'volts'], kV: ['kilovolt', 'kilovolts'], mV: ['millivolt', 'millivolts'], mA: ['milliamp', 'milliamps'], mAh: ['milliamp hour', 'milliamp hours'], Ω: ['ohm', 'ohms'], kΩ: ['kilohm', 'kilohms'],
  N: ['newton', 'newtons'], Nm: ['newton meter', 'newton meters'], Pa: ['pascal', 'pascals'], kPa: ['kilopascal', 'kilopascals'], MPa: ['megapascal', 'megapascals'], hPa: ['hectopascal', 'hectopascals'], psi: ['psi', 'psi'], bar: ['bar', 'bar'],
  J: ['joule', 'joules'], kJ: ['kilojoule', 'kilojoules'], MJ: ['megajoule', 'megajoules'], cal: ['calorie', 'calories'], kcal: ['kilocalorie', 'kilocalories'], Cal: ['calorie', 'calories'],
  px: ['pixel', 'pixels'], fps: ['frame per second', 'frames per second'], dB: ['decibel', 'decibels'], rpm: ['revolution per minute', 'revolutions per minute'], mol: ['mole', 'moles'], mmol: ['millimole', 'millimoles'],
  '°C': ['degree Celsius', 'degrees Celsius'], '° C': ['degree Celsius', 'degrees Celsius'], 'ºC': ['degree Celsius', 'degrees Celsius'], '°F': ['degree Fahrenheit', 'degrees Fahrenheit'], '° F': ['degree Fahrenheit', 'degrees Fahrenheit'], 'ºF': ['degree Fahrenheit', 'degrees Fahrenheit'],
  cc: ['c c', 'c c'], hp: ['horsepower', 'horsepower'], kgf: ['kilogram force', 'kilograms force'], MP: ['megapixel', 'megapixels'], mpg: ['mile per gallon', 'miles per gallon'],
};

/** Units written in any case ("12KG"): only where the letters cannot mean anything else. */
export const UNITS_ANY_CASE: Record<string, string> = Object.fromEntries(
  ['km', 'cm', 'mm', 'kg', 'mg', 'lbs', 'mph', 'kph', 'kwh', 'mbps', 'gbps', 'kbps', 'khz', 'mhz', 'ghz', 'kcal', 'tsp', 'tbsp', 'kpa', 'rpm', 'fps']
    .map((u) => [u, Object.keys(UNITS).find((k) => k.toLowerCase() === u)!] as const)
    .filter(([, k]) => k),
);

const escape = (u: string) => u.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** Unit keys, longest first, for a regex alternation. */
export const UNIT_PATTERN = [...new Set([...Object.keys(UNITS), ...Object.keys(UNITS_ANY_CASE).flatMap((u) => [u, u.toUpperCase()])])]
  .sort((a, b) => b.length - a.length)
  .map(escape)
  .join('|');

export function unitFor(written: string): [string, string] | undefined {
  return UNITS[written] ?? UNITS[UNITS_ANY_CASE[written.toLowerCase()] ?? ''];
}

export const CURRENCY: Record<string, [string, string, string, string]> = {
  // symbol: [unit, units, subunit, subunits]
  $: ['dollar', 'dollars', 'cent', 'cents'],
  US$: ['US dollar', 'US dollars', 'cent', 'cents'],
  '€': ['euro', 'euros', 'cent', 'cents'],
  '£': ['pound', 'pounds', 'penny', 'pence'],
  '¥': ['yen', 'yen', 'sen', 'sen'],
  '₹': ['rupee', 'rupees', 'paisa', 'paise'],
  '₩': ['won', 'won', 'jeon', 'jeon'],
  '₽': ['ruble', 'rubles', 'kopek', 'kopeks'],
  '₺': ['lira', 'lira', 'kurus', 'kurus'],
  '₦': ['naira', 'naira', 'kobo', 'kobo'],
  '₱': ['peso', 'pesos', 'centavo', 'centavos'],
};
/** ISO codes written before or after an amount: "USD 5", "5 EUR". */
export const CURRENCY_CODES: Record<string, string> = { USD: '$', EUR: '€', GBP: '£', JPY: '¥', INR: '₹', KRW: '₩', RUB: '₽' };
export const CURRENCY_CODE_WORDS: Record<string, [string, string]> = { CAD: ['Canadian dollar', 'Canadian dollars'], AUD: ['Australian dollar', 'Australian dollars'], CHF: ['Swiss franc', 'Swiss francs'], CNY: ['yuan', 'yuan'] };

export const SCALE_SUFFIX: Record<string, string> = { k: 'thousand', K: 'thousand', m: 'million', M: 'million', mn: 'million', mm: 'million', b: 'billion', B: 'billion', bn: 'billion', t: 'trillion', T: 'trillion', tn: 'trillion', thousand: 'thousand', million: 'million', billion: 'billion', trillion: 'trillion' };
