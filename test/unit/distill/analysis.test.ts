import assert from 'node:assert/strict';
import { test } from 'node:test';
import { shortPath } from '../../../src/core/distill/analysis';

test('shortPath: a path inside the session folder is relative, whatever slashes and drive case a Windows session writes', () => {
  assert.equal(shortPath('/home/ana/shop/src/db.ts', '/home/ana/shop'), 'src/db.ts');
  assert.equal(shortPath('/home/ana/shop/src/db.ts', '/home/ana/shop/'), 'src/db.ts');
  assert.equal(shortPath('c:/Users/yyash/Coding/polydot/contracts/hardhat.config.js', 'c:\\Users\\yyash\\Coding\\polydot'), 'contracts/hardhat.config.js');
  assert.equal(shortPath('C:\\Users\\yyash\\Coding\\polydot\\README.md', 'c:\\Users\\yyash\\Coding\\polydot'), 'README.md');
  // Outside the folder, or the folder itself, the path stays as written.
  assert.equal(shortPath('/etc/hosts', '/home/ana/shop'), '/etc/hosts');
  assert.equal(shortPath('/home/ana/shopping/x.ts', '/home/ana/shop'), '/home/ana/shopping/x.ts');
  assert.equal(shortPath('/home/ana/shop', '/home/ana/shop'), '/home/ana/shop');
  assert.equal(shortPath('/a/b.ts', ''), '/a/b.ts');
});
