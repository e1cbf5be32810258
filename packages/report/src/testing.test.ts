import { expect } from 'chai';
import { externalReferences, parseXml } from './testing.js';

describe('parseXml (test helper)', () => {
  it('parses nested elements, attributes, entities and character references', () => {
    const root = parseXml('<svg a="1&amp;2"><g><title>x &lt;y&gt; &#39;&#x41;</title></g><use b=\'2\'/></svg>');
    expect(root.name).to.equal('svg');
    expect(root.attributes.a).to.equal('1&2');
    expect(root.children.map((c) => c.name)).to.deep.equal(['g', 'use']);
    expect(root.children[0]!.children[0]!.text).to.equal("x <y> 'A");
  });

  const broken: [string, string][] = [
    ['a mismatched end tag', '<svg><g></svg></g>'],
    ['an unclosed element', '<svg><g></svg>'],
    ['a bare ampersand', '<svg>a & b</svg>'],
    ['an unknown entity', '<svg>&nbsp;</svg>'],
    ['an unquoted attribute', '<svg a=1></svg>'],
    ['a duplicate attribute', '<svg a="1" a="2"></svg>'],
    ['a < inside an attribute', '<svg a="<"></svg>'],
    ['two roots', '<svg></svg><svg></svg>'],
    ['an HTML-style void tag', '<svg><use href="#a"></svg>'],
  ];
  for (const [name, text] of broken) {
    it(`refuses ${name}`, () => {
      expect(() => parseXml(text)).to.throw(SyntaxError);
    });
  }
});

describe('externalReferences (test helper)', () => {
  it('finds fetches and ignores fragments and data: URLs', () => {
    expect(externalReferences('<use href="#m0"/><a href="data:,x">')).to.deep.equal([]);
    expect(externalReferences('<img src="http://x/a.png">')).to.have.length(1);
    expect(externalReferences('<style>a{background:url(https://x/y)}</style>')).to.have.length(1);
    expect(externalReferences('<link rel="stylesheet" href="a.css">')).to.have.length(2);
    expect(externalReferences('<script src="https://x/a.js"></script>')).to.have.length(2);
    expect(externalReferences('<script>1</script>'), 'an inline script fetches nothing (the CSP decides whether it runs)').to.deep.equal([]);
    expect(externalReferences('<p>&lt;img src=x&gt; url</p>')).to.deep.equal([]);
    expect(externalReferences('<tr data-filter="&lt;img src=x&gt;">'), 'escaped text inside another attribute').to.deep.equal([]);
    expect(externalReferences('<img alt="x" src=http://x/a.png>')).to.have.length(1);
  });
});
