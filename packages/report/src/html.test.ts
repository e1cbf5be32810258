import { expect } from 'chai';
import { escapeHtml, fragment, h, raw, round } from './html.js';

describe('html builder', () => {
  it('escapes the five special characters', () => {
    expect(escapeHtml(`<script>"&'</script>`)).to.equal('&lt;script&gt;&quot;&amp;&#39;&lt;/script&gt;');
  });

  it('escapes text children and attribute values, never markup', () => {
    const hostile = `"><script>alert('x')</script>&`;
    const html = h('p', { title: hostile, class: 'a' }, hostile, h('b', {}, 'ok')).html;
    expect(html).to.equal(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;" class="a">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;<b>ok</b></p>',
    );
    expect(html).not.to.include('<script');
  });

  it('flattens arrays and skips null, undefined and false children and attributes', () => {
    const html = h('ul', { hidden: false, id: null, 'data-x': undefined, open: true }, [h('li', {}, 1), null, [false, h('li', {}, 'two')]]).html;
    expect(html).to.equal('<ul open=""><li>1</li><li>two</li></ul>');
  });

  it('closes empty SVG elements itself, gives HTML void elements no end tag and other elements one', () => {
    expect(h('use', { href: '#m0', x: 1.5 }).html).to.equal('<use href="#m0" x="1.5"/>');
    expect(h('meta', { charset: 'utf-8' }).html).to.equal('<meta charset="utf-8">');
    expect(h('div').html).to.equal('<div></div>');
    expect(h('title').html).to.equal('<title></title>');
  });

  it('refuses children of void elements, bad names and non-finite numbers', () => {
    expect(() => h('br', {}, 'x')).to.throw(RangeError);
    expect(() => h('a b')).to.throw(RangeError);
    expect(() => h('p', { 'on"click': 'x' })).to.throw(RangeError);
    expect(() => h('p', {}, NaN)).to.throw(RangeError);
    expect(() => h('rect', { width: Infinity })).to.throw(RangeError);
  });

  it('passes raw and fragment markup through unchanged', () => {
    expect(h('style', {}, raw('a>b{}')).html).to.equal('<style>a>b{}</style>');
    expect(fragment('<', raw('<i>')).html).to.equal('&lt;<i>');
  });

  it('rounds coordinates', () => {
    expect(round(12.345)).to.equal(12.3);
    expect(round(12.345, 2)).to.equal(12.35);
  });
});
