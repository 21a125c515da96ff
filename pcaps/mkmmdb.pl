#!/usr/bin/perl
# Write a MaxMind-format database from a readable text file, for the tests
# and the demo (never a downloaded database).  Usage:
#   mkmmdb.pl asn INPUT OUTPUT      lines: CIDR ASN ORGANISATION...
#   mkmmdb.pl country INPUT OUTPUT  lines: CIDR COUNTRY [REGISTERED_COUNTRY]
#   mkmmdb.pl city INPUT OUTPUT     as country, written as a City database
# Blank lines and lines starting with # are ignored.
use strict;
use warnings;
use MaxMind::DB::Writer::Tree;

my ($kind, $in, $out) = @ARGV;
die "usage: mkmmdb.pl asn|country|city INPUT OUTPUT\n" unless defined $out;
my %type = (asn => 'GeoLite2-ASN', country => 'GeoLite2-Country',
    city => 'GeoLite2-City');
die "mkmmdb.pl: unknown kind $kind\n" unless $type{$kind};

my %types = (
	autonomous_system_number => 'uint32',
	autonomous_system_organization => 'utf8_string',
	country => 'map',
	registered_country => 'map',
	city => 'map',
	iso_code => 'utf8_string',
	names => 'map',
	en => 'utf8_string',
);
my $tree = MaxMind::DB::Writer::Tree->new(
	ip_version => 6,
	record_size => 24,
	database_type => "$type{$kind} (egressd test data)",
	languages => ['en'],
	description => { en => "egressd test $kind data" },
	map_key_type_callback => sub { $types{ $_[0] } },
	remove_reserved_networks => 0,
	alias_ipv6_to_ipv4 => 1,
);
# A fixed build time, so the same source always gives the same bytes.
$tree->_set_build_epoch($ENV{SOURCE_DATE_EPOCH} // 1772438400);
open(my $fh, '<', $in) or die "mkmmdb.pl: $in: $!\n";
while (my $line = <$fh>) {
	chomp $line;
	next if $line =~ /^\s*(#|$)/;
	my ($net, @f) = split ' ', $line;
	if ($kind eq 'asn') {
		die "mkmmdb.pl: $in:$.: want CIDR ASN ORG\n" unless @f >= 2;
		my $asn = shift @f;
		$tree->insert_network($net, {
			autonomous_system_number => $asn + 0,
			autonomous_system_organization => join(' ', @f),
		});
	} else {
		die "mkmmdb.pl: $in:$.: want CIDR CC [REGCC]\n" unless @f >= 1;
		my %rec = (country => { iso_code => $f[0] },
		    registered_country => { iso_code => $f[1] // $f[0] });
		$rec{city} = { names => { en => 'Testville' } } if $kind eq 'city';
		$tree->insert_network($net, \%rec);
	}
}
close($fh);
open(my $o, '>:raw', $out) or die "mkmmdb.pl: $out: $!\n";
$tree->write_tree($o);
close($o) or die "mkmmdb.pl: $out: $!\n";
