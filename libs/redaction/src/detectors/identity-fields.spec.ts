import { redact, redactString } from '../index';

const R = '[REDACTED]';

describe('name fields a payment gateway or a KYC form writes', () => {
  it("a gateway's abbreviated customer-name key holds a name", () => {
    expect(
      redact({ cus_name: 'Rahim Uddin', cust_name: 'KARIM MIA', customer_nm: 'Nusrat', amount: '2500.00' }),
    ).toEqual({ cus_name: R, cust_name: R, customer_nm: R, amount: '2500.00' });
  });

  it('those keys keep a value not shaped as a name', () => {
    const record = { cus_name: 'N/A', cust_name: '', customer_nm: 'cus_123abc' };
    expect(redact(record)).toEqual(record);
  });

  it('a name in one language beside a relative is a name; Bengali values too', () => {
    expect(redact({ name_en: 'Tahmina Ara Munshi', father_name: 'Abdul Karim' })).toEqual({
      name_en: R,
      father_name: R,
    });
    expect(redact({ নাম: 'তাহমিনা আরা মুন্সী', 'পিতার নাম': 'আব্দুল করিম' })).toEqual({
      নাম: R,
      'পিতার নাম': R,
    });
    expect(redact({ name_bn: 'তাহমিনা আরা', mother_name: 'Rokeya Begum' })).toEqual({
      name_bn: R,
      mother_name: R,
    });
    expect(redact({ full_name_bn: 'তাহমিনা আরা', full_name_en: 'Tahmina Ara' })).toEqual({
      full_name_bn: R,
      full_name_en: R,
    });
  });

  it("a product's name in a language, with no person beside it, is kept", () => {
    const record = { name_en: 'Chicken Biryani', name_bn: 'চিকেন বিরিয়ানি', price: '350' };
    expect(redact(record)).toEqual(record);
  });
});

describe('the same name keys in text', () => {
  it.each([
    ['cus_name=Rahim Uddin amount=10', 'cus_name=[REDACTED:name] amount=10'],
    ["{'cust_name': 'Karim Mia'}", "{'cust_name': '[REDACTED:name]'}"],
    ['customer_nm: Nusrat Jahan', 'customer_nm: [REDACTED:name]'],
    ['name_bn=Tahmina Ara status=ok', 'name_bn=[REDACTED:name] status=ok'],
  ])('%s', (input, expected) => {
    expect(redactString(input)).toBe(expected);
  });

  it.each([['product_name_en=Chicken Biryani'], ['cus_name=N/A amount=10'], ['focus_name=Main Window']])(
    '%s stays',
    (input) => {
      expect(redactString(input)).toBe(input);
    },
  );
});
