/**
 * Our own cases (written in this project alongside the rules, so not a held-out test): input → what a person reading it aloud would say (several
 * acceptable phrasings where speech allows). Expectations are written from how people speak,
 * not from the normalizer's output; comparison ignores case, commas and final punctuation.
 */
import type { CorpusCase } from '../corpus.js';

type Row = [string, string | string[]];
const cat = (category: string, rows: Row[]): CorpusCase[] => rows.map(([input, expected]) => ({ input, expected, category }));

export const OWN_CASES: CorpusCase[] = [
  ...cat('latex-basic', [
    ['$x^2$', 'x squared'], ['$x^3$', 'x cubed'], ['$x^n$', 'x to the power of n'], ['$x^{10}$', 'x to the power of ten'], ['$a_1$', 'a sub one'],
    ['$x_{i}^{2}$', 'x sub i squared'], ['$x_i$', 'x sub i'], ['$2^{10}$', 'two to the power of ten'], ['$e^{x}$', 'e to the power of x'],
    ['$\\pi r^2$', 'pi r squared'], ['$\\alpha + \\beta$', 'alpha plus beta'], ['$\\theta$', 'theta'], ['$\\Delta x$', ['capital delta x', 'delta x']],
    ['$\\lambda$', 'lambda'], ['$\\sigma^2$', 'sigma squared'], ['$\\mu = 0$', 'mu equals zero'], ['$a = b$', 'a equals b'], ['$a < b$', 'a is less than b'],
    ['$a > b$', 'a is greater than b'], ['$a \\leq b$', 'a is less than or equal to b'], ['$a \\geq b$', 'a is greater than or equal to b'],
    ['$a \\neq b$', 'a is not equal to b'], ['$\\pi \\approx 3.14$', 'pi is approximately equal to three point one four'], ['$a \\equiv b$', 'a is equivalent to b'],
    ['$x \\to \\infty$', ['x to infinity', 'x approaches infinity']], ['$a \\cdot b$', 'a times b'], ['$3 \\times 4$', 'three times four'], ['$\\pm 3$', 'plus or minus three'],
    ['$x \\pm y$', 'x plus or minus y'], ['$a - b$', 'a minus b'], ['$-x$', ['negative x', 'minus x']], ['$n!$', 'n factorial'], ['$f(x)$', 'f of x'],
    ['$f(x) = 3x - 4$', 'f of x equals three x minus four'], ['$e^{i\\pi} + 1 = 0$', 'e to the power of i pi plus one equals zero'], ['$x^{-1}$', ['x to the power of negative one', 'x to the power of minus one']],
    ['$90^\\circ$', 'ninety degrees'], ['$A^T$', 'a transpose'], ['$f\'(x)$', 'f prime of x'], ['$\\infty$', 'infinity'],
  ]),
  ...cat('latex-fractions-roots', [
    ['$\\frac{1}{2}$', 'one half'], ['$\\frac12$', 'one half'], ['$\\frac{3}{4}$', ['three quarters', 'three fourths']], ['$\\frac{2}{3}$', 'two thirds'],
    ['$\\tfrac{1}{3}$', 'one third'], ['$\\dfrac{5}{8}$', 'five eighths'], ['$\\frac{2}{7}$', 'two sevenths'], ['$\\frac{a}{b}$', 'a over b'],
    ['$\\frac{x}{2}$', 'x over two'], ['$\\frac{a+b}{c}$', ['the fraction a plus b over c end fraction', 'a plus b over c']], ['$\\frac{\\frac{1}{2}}{x}$', 'one half over x'],
    ['$\\sqrt{2}$', 'the square root of two'], ['$\\sqrt{x}$', 'the square root of x'], ['$\\sqrt[3]{x}$', 'the cube root of x'], ['$\\sqrt[4]{16}$', 'the fourth root of sixteen'],
    ['$\\sqrt{x^2 + y^2}$', 'the square root of x squared plus y squared'], ['$\\frac{d}{dx} x^2$', ['the derivative with respect to x of x squared', 'd by d x of x squared']],
    ['$\\frac{dy}{dx}$', 'd y by d x'], ['$\\frac{\\partial f}{\\partial x}$', 'partial f by partial x'], ['$\\partial_x f$', 'partial sub x f'], ['$\\binom{n}{k}$', 'n choose k'],
    ['$\\binom{5}{2} = 10$', 'five choose two equals ten'], ['$\\frac{1}{x}$', 'one over x'], ['$\\frac{\\pi}{2}$', 'pi over two'],
  ]),
  ...cat('latex-calculus', [
    ['$\\lim_{x\\to0} \\frac{\\sin x}{x}$', 'the limit as x approaches zero of sine x over x'], ['$\\lim_{n \\to \\infty} a_n$', 'the limit as n approaches infinity of a sub n'],
    ['$\\sum_{i=1}^{n} i$', 'the sum from i equals one to n of i'], ['$\\sum_{k=0}^{\\infty} x^k$', 'the sum from k equals zero to infinity of x to the power of k'],
    ['$\\prod_{i=1}^{n} i$', 'the product from i equals one to n of i'], ['$\\int_0^1 x\\,dx$', 'the integral from zero to one of x d x'],
    ['$\\int_{a}^{b} f(x)\\,dx$', 'the integral from a to b of f of x d x'], ['$\\int f(x) dx$', 'the integral of f of x d x'], ['$\\oint_C F$', 'the contour integral over c of f'],
    ['$\\log_2 x$', 'log base two of x'], ['$\\log_{10} 100 = 2$', 'log base ten of one hundred equals two'], ['$\\ln x$', 'natural log x'], ['$\\log x$', 'log x'],
    ['$\\sin x$', 'sine x'], ['$\\cos \\theta$', 'cosine theta'], ['$\\tan x$', 'tangent x'], ['$\\sin^2 x + \\cos^2 x = 1$', 'sine squared x plus cosine squared x equals one'],
    ['$\\sin^{-1} x$', 'sine inverse x'], ['$\\nabla f$', 'del f'], ['$\\max(a, b)$', 'the maximum of a, b'], ['$\\exp(x)$', 'exp x'],
  ]),
  ...cat('latex-structures', [
    ['$\\mathbb{R}$', 'the real numbers'], ['$x \\in \\mathbb{R}$', 'x is in the real numbers'], ['$n \\in \\mathbb{N}$', 'n is in the natural numbers'], ['$\\mathbb{Z}$', 'the integers'],
    ['$\\vec{v}$', 'vector v'], ['$\\hat{x}$', 'x hat'], ['$\\bar{x}$', 'x bar'], ['$\\|v\\|$', 'the norm of v'], ['$|x|$', 'the absolute value of x'],
    ['$\\left( x + 1 \\right)$', 'x plus one'], ['$\\left[ a, b \\right]$', 'a, b'], ['$a\\,b$', 'a b'], ['$a \\quad b$', 'a b'], ['$\\text{if } x > 0$', 'if x is greater than zero'],
    ['$\\mathbf{x}$', 'x'], ['$A \\cup B$', 'a union b'], ['$A \\cap B$', 'a intersection b'], ['$A \\subset B$', 'a is a subset of b'], ['$\\forall x$', 'for all x'],
    ['$\\exists y$', 'there exists y'], ['$p \\Rightarrow q$', 'p implies q'], ['$p \\iff q$', 'p if and only if q'], ['$1, 2, \\ldots, n$', 'one, two, dot dot dot, n'],
    ['$\\emptyset$', 'the empty set'], ['$\\foo{x}$', ['foo x', 'x']], ['$\\operatorname{sgn}(x)$', 'sgn x'],
  ]),
  ...cat('latex-delimiters', [
    ['$$x^2 + y^2 = r^2$$', 'x squared plus y squared equals r squared'], ['\\[ a^2 + b^2 = c^2 \\]', 'a squared plus b squared equals c squared'],
    ['\\( \\alpha \\)', 'alpha'], ['The value $\\sqrt{2}$ is irrational.', 'the value the square root of two is irrational'],
    ['If $x = 2$, then $x^2 = 4$.', 'if x equals two, then x squared equals four'], ['Energy: $E = mc^2$.', 'energy: e equals m c squared'],
    ['Recall $$\\int_0^\\infty e^{-x} dx = 1$$ today.', 'recall the integral from zero to infinity of e to the power of negative x d x equals one today'],
    ['We get \\(\\frac{1}{4}\\).', ['we get one quarter', 'we get one fourth']],
  ]),
  ...cat('plain-math', [
    ['x^2 + 3x - 4 = 0', 'x squared plus three x minus four equals zero'], ['2/3', 'two thirds'], ['1/2', 'one half'], ['3/4', 'three quarters'],
    ['sqrt(2)', 'the square root of two'], ['a² + b² = c²', 'a squared plus b squared equals c squared'], ['x³', 'x cubed'], ['5 × 3', 'five times three'],
    ['10 ÷ 2', 'ten divided by two'], ['±5', 'plus or minus five'], ['x ≤ 5', 'x is less than or equal to five'], ['x ≥ 5', 'x is greater than or equal to five'],
    ['a ≠ b', 'a is not equal to b'], ['π ≈ 3.14', 'pi is approximately equal to three point one four'], ['x → ∞', ['x approaches infinity', 'x to infinity']], ['√2', 'the square root of two'],
    ['∑ of terms', 'the sum of of terms'], ['α and β', 'alpha and beta'], ['Δ is change', 'capital delta is change'], ['f(x) = 2x', 'f of x equals two x'],
    ['1e-3', 'one times ten to the power of minus three'], ['10^6', 'ten to the power of six'], ['6.02e23', 'six point zero two times ten to the power of twenty-three'],
    ['2^10 = 1024', 'two to the power of ten equals one thousand twenty-four'], ['3 + 4 = 7', 'three plus four equals seven'], ['9 - 5 = 4', 'nine minus five equals four'],
    ['3 * 4', 'three times four'], ['2x + 1', 'two x plus one'], ['y = mx + b', 'y equals mx plus b'], ['θ = 30°', 'theta equals thirty degrees'],
  ]),
  ...cat('numbers', [
    ['0', 'zero'], ['7', 'seven'], ['13', 'thirteen'], ['42', 'forty-two'], ['100', 'one hundred'], ['101', 'one hundred one'], ['999', 'nine hundred ninety-nine'],
    ['1,000', 'one thousand'], ['1,234', 'one thousand two hundred thirty-four'], ['12,345', 'twelve thousand three hundred forty-five'], ['1,000,000', 'one million'],
    ['1,234,567', 'one million two hundred thirty-four thousand five hundred sixty-seven'], ['2500000000', 'two billion five hundred million'], ['-5', 'minus five'],
    ['It fell to -12.', 'it fell to minus twelve'], ['3.14', 'three point one four'], ['0.5', 'zero point five'], ['2.50', 'two point five zero'], ['10.01', 'ten point zero one'],
    ['1st', 'first'], ['2nd', 'second'], ['3rd', 'third'], ['4th', 'fourth'], ['11th', 'eleventh'], ['12th', 'twelfth'], ['21st', 'twenty-first'], ['22nd', 'twenty-second'],
    ['100th', 'one hundredth'], ['the 1990s', 'the nineteen nineties'], ['the 80s', 'the eighties'], ['the 2000s', 'the two thousands'],
    ['in 1999', 'in nineteen ninety-nine'], ['in 2005', 'in two thousand five'], ['in 2024', 'in twenty twenty-four'], ['in 1900', 'in nineteen hundred'], ['in 1066', ['in ten sixty-six', 'in one thousand sixty-six']],
    ['in 2010', ['in twenty ten', 'in two thousand ten']], ['in 1905', 'in nineteen oh five'], ['pages 3-5', 'pages three to five'], ['3–5 years', 'three to five years'], ['ages 10—12', 'ages ten to twelve'],
    ['version 2.1.3', 'version two point one point three'], ['v1.0.2', 'version one point zero point two'], ['Call 555-123-4567', 'call five five five, one two three, four five six seven'],
    ['(555) 123-4567', 'five five five, one two three, four five six seven'], ['+1 555 123 4567', 'plus one, five five five, one two three, four five six seven'],
    ['It was 50/50.', 'it was fifty-fifty'], ['7/10 people', ['seven over ten people', 'seven tenths people']], ['20 apples', 'twenty apples'], ['a 3 day trip', 'a three day trip'], ['No. 5', 'number five'],
  ]),
  ...cat('currency', [
    ['$5', 'five dollars'], ['$1', 'one dollar'], ['$3.50', 'three dollars and fifty cents'], ['$0.99', 'ninety-nine cents'], ['$1,200', 'one thousand two hundred dollars'],
    ['$5M', 'five million dollars'], ['$2.5B', 'two point five billion dollars'], ['$10K', 'ten thousand dollars'], ['$3 million', 'three million dollars'], ['€10', 'ten euros'],
    ['€1', 'one euro'], ['€2.50', 'two euros and fifty cents'], ['£20', 'twenty pounds'], ['£1.05', 'one pound and five pence'], ['¥500', 'five hundred yen'],
    ['It costs $5 and $6.', 'it costs five dollars and six dollars'], ['$1.2B raised', 'one point two billion dollars raised'], ['€3bn', 'three billion euros'],
  ]),
  ...cat('percent-units', [
    ['15%', 'fifteen percent'], ['3.5%', 'three point five percent'], ['100%', 'one hundred percent'], ['-2%', 'minus two percent'], ['60 km/h', 'sixty kilometers per hour'],
    ['1 km', 'one kilometer'], ['5 km', 'five kilometers'], ['9.8 m/s²', 'nine point eight meters per second squared'], ['10 m/s', 'ten meters per second'], ['3 kg', 'three kilograms'],
    ['1 kg', 'one kilogram'], ['250 g', 'two hundred fifty grams'], ['5 mg', 'five milligrams'], ['20 mm', 'twenty millimeters'], ['15 cm', 'fifteen centimeters'],
    ['500 ml', 'five hundred milliliters'], ['2 L', 'two liters'], ['50 m²', 'fifty square meters'], ['200 ms', 'two hundred milliseconds'], ['30 s', 'thirty seconds'],
    ['45 min', 'forty-five minutes'], ['2 h', 'two hours'], ['50 Hz', 'fifty hertz'], ['2.4 GHz', 'two point four gigahertz'], ['16 GB', 'sixteen gigabytes'], ['512 MB', 'five hundred twelve megabytes'],
    ['1 TB', 'one terabyte'], ['100 W', 'one hundred watts'], ['5 kWh', 'five kilowatt hours'], ['20°C', 'twenty degrees celsius'], ['-5 °C', 'minus five degrees celsius'],
    ['98.6°F', 'ninety-eight point six degrees fahrenheit'], ['45°', 'forty-five degrees'], ['1°', 'one degree'], ['5kg', 'five kilograms'], ['100 mph', 'one hundred miles per hour'],
    ['1080 px', 'one thousand eighty pixels'], ['60 fps', 'sixty frames per second'], ['3 ft', 'three feet'], ['2 lbs', 'two pounds'],
  ]),
  ...cat('symbols', [
    ['Tom & Jerry', 'tom and jerry'], ['R&D', 'r and d'], ['email @support', 'email at support'], ['#1 hit', 'number one hit'], ['#AI trends', 'hashtag AI trends'],
    ['A &amp; B', 'a and b'],
  ]),
  ...cat('dates-times', [
    ['2024-03-15', 'march fifteenth, twenty twenty-four'], ['1999-12-31', 'december thirty-first, nineteen ninety-nine'], ['March 3, 1990', 'march third, nineteen ninety'],
    ['July 4th', 'july fourth'], ['Jan 1, 2000', 'january first, two thousand'], ['Sept. 11, 2001', 'september eleventh, two thousand one'], ['3 May 2021', 'the third of may, twenty twenty-one'],
    ['12/25/2023', 'december twenty-fifth, twenty twenty-three'], ['3:45 pm', 'three forty-five p m'], ['3:45 PM', 'three forty-five p m'], ['09:05', 'nine oh five'],
    ['12:00', "twelve o'clock"], ['9am', 'nine a m'], ['9 a.m.', 'nine a m'], ['9am–5pm', 'nine a m to five p m'], ['10:30', 'ten thirty'], ['at 7:15 am', 'at seven fifteen a m'],
    ['23:59', 'twenty-three fifty-nine'], ['6pm', 'six p m'], ['from 1990 to 2000', 'from nineteen ninety to two thousand'],
  ]),
  ...cat('abbreviations', [
    ['Dr. Smith', 'doctor smith'], ['Mr. Jones', 'mister jones'], ['Mrs. Brown', ['missus brown', 'misses brown']], ['Prof. Lee', 'professor lee'], ['St. Louis', 'saint louis'],
    ['Main St.', 'main street'], ['e.g. apples', 'for example apples'], ['i.e. this', 'that is this'], ['apples, etc.', 'apples, et cetera'], ['cats vs. dogs', 'cats versus dogs'],
    ['see Fig. 2', 'see figure two'], ['approx. 5', 'approximately five'], ['John Smith Jr.', 'john smith junior'], ['p. 12', 'page twelve'], ['pp. 3-5', 'pages three to five'],
  ]),
  ...cat('urls-emails', [
    ['https://example.com', 'example dot com'], ['www.example.com', 'w w w dot example dot com'], ['https://github.com/org/repo', 'github dot com slash org slash repo'],
    ['Visit example.org today', 'visit example dot org today'], ['john@example.com', 'john at example dot com'], ['jane.doe@mail.co.uk', ['jane dot doe at mail dot co dot uk', 'jane dot doe at mail dot co dot u k']],
    ['Go to https://a.io/x.', ['go to a dot io slash x', 'go to a dot i o slash x']],
  ]),
  ...cat('markup', [
    ['**bold** text', 'bold text'], ['*italic* text', 'italic text'], ['# Title', 'title'], ['## Section 2', 'section two'], ['- item one', 'item one'],
    ['`code`', 'code'], ['[link](https://x.com)', 'link'], ['<b>bold</b>', 'bold'], ['<p>Hello</p>', 'hello'], ['~~old~~ new', 'old new'], ['> quoted', 'quoted'],
    ['![alt text](img.png)', 'alt text'], ['<a href="https://x.com">site</a>', 'site'],
  ]),
  ...cat('prose', [
    ['R2-D2 beeped.', ['r2-d2 beeped', 'R two D two beeped']], ['A well-known fact.', 'a well-known fact'], ["Don't stop.", "don't stop"], ['"Hello," she said.', '"hello," she said'],
    ['I went home - tired.', 'i went home - tired'], ['The state-of-the-art model.', 'the state-of-the-art model'], ['MP3 files', ['mp3 files', 'M P three files']], ['COVID-19 cases', ['covid-19 cases', 'covid nineteen cases', 'COVID nineteen cases']],
    ['It is 5 pm - time to go.', 'it is five p m - time to go'], ['x-ray vision', 'x-ray vision'], ['Plan B', 'plan b'], ['a b c', 'a b c'], ['The U.S. team', 'the U S team'],
    ['Hello world!', 'hello world!'], ['Yes; no: maybe.', 'yes; no: maybe'], ['Catch-22', ['catch-22', 'catch twenty-two']], ['Room 101', ['room one hundred one', 'room one oh one']],
  ]),
  ...cat('cjk', [
    ['你好，世界', '你好，世界'], ['日本語のテキスト', '日本語のテキスト'], ['한국어 텍스트', '한국어 텍스트'], ['价格是 5 元', '价格是 五 元'],
  ]),
  ...cat('robustness', [
    ['A lone $ sign', ['a lone sign', 'a lone dollar sign']], ['Unbalanced {brace', 'unbalanced brace'], ['$\\frac{1}{$', ['', 'one', 'one over']], ['\\unknownmacro here', 'unknownmacro here'],
    ['$$', ''], ['}}}', ''], ['', ''], ['   ', ''],
  ]),
];
